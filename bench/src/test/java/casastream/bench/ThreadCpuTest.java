package casastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.bench.ThreadCpu.Owner;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  @Test
  void groupsAFlinkTaskThreadByItsChainsFirstOperatorAndNumberedThreadsTogether() {
    assertThat(ThreadCpu.group("CASA inference -> (text events to x-events: Writer, late frames: Writer) (2/2)#0"))
        .isEqualTo("CASA inference");
    assertThat(ThreadCpu.group("Source: frames -> validate frames (1/2)#3")).isEqualTo("Source: frames");
    assertThat(ThreadCpu.group("data-plane-kafka-request-handler-7")).isEqualTo("data-plane-kafka-request-handler-#");
  }

  @Test
  void tellsTheBrokersAndTheBenchmarksThreadsFromTheJobs() {
    assertThat(ThreadCpu.owner("data-plane-kafka-request-handler-3", "main")).isEqualTo(Owner.BROKER);
    assertThat(ThreadCpu.owner("kafka-7-raft-io-thread", "main")).isEqualTo(Owner.BROKER);
    assertThat(ThreadCpu.owner("group-coordinator-event-processor-1", "main")).isEqualTo(Owner.BROKER);
    assertThat(ThreadCpu.owner("kafka-producer-network-thread | producer-levels-100-text-events-0-1", "main"))
        .isEqualTo(Owner.JOB);
    assertThat(ThreadCpu.owner("kafka-producer-network-thread | bench-frame-load", "main")).isEqualTo(Owner.BENCHMARK);
    assertThat(ThreadCpu.owner("bench-committed-events", "main")).isEqualTo(Owner.BENCHMARK);
    assertThat(ThreadCpu.owner("main", "main")).isEqualTo(Owner.BENCHMARK);
    assertThat(ThreadCpu.owner("CASA inference (1/2)#0", "main")).isEqualTo(Owner.JOB);
    assertThat(ThreadCpu.owner("Checkpoint Timer", "main")).isEqualTo(Owner.JOB);
  }

  @Test
  void countsTheCpuOfAThreadThatWorkedBetweenTwoSnapshots() throws Exception {
    ThreadCpu.Snapshot before = ThreadCpu.snapshot();
    AtomicLong sink = new AtomicLong();
    Thread worker = new Thread(() -> {
      long end = System.nanoTime() + 200_000_000L;
      long x = 0;
      while (System.nanoTime() < end) {
        x += x * 31 + 7;
      }
      sink.set(x);
    }, "bench-test-worker-1");
    worker.start();
    // the snapshot is taken while the worker is alive: ended threads are not listed
    Thread.sleep(150);
    ThreadCpu.Snapshot after = ThreadCpu.snapshot();
    worker.join();

    assertThat(ThreadCpu.byGroup(before, after).get("bench-test-worker-#")).isGreaterThan(50_000_000L);
    assertThat(ThreadCpu.byOwner(before, after, "main").get(Owner.BENCHMARK)).isGreaterThan(50_000_000L);
    assertThat(after.processNanos() - before.processNanos()).isGreaterThan(50_000_000L);
  }
}
