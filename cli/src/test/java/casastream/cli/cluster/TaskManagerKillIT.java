package casastream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.tools.KafkaAccess;
import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import casastream.jobs.EndToEndFixture;
import casastream.operators.kafka.Topics;
import casastream.schemas.TextEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A TaskManager lost for good: the job runs on two TaskManager processes at parallelism 2 with a
 * caption for every frame while 20 streams send at a steady rate; once checkpoints have completed,
 * the TaskManager running an inference subtask is killed with SIGKILL and a replacement is started,
 * as an orchestrator would. The job recovers from its last checkpoint. Read with read_committed
 * afterwards: exactly one caption per frame, every event id distinct, and every stream's captions
 * those of the model run directly on the same frames, so each stream's memory survived the lost
 * process. Prints the output gap and the recovery time (RELIABILITY.md).
 */
class TaskManagerKillIT extends RealClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STREAMS = 20;
  private static final int FRAMES = 60;
  private static final int KILL_AFTER_ROUND = 24;
  private static final long ROUND_MILLIS = 250;

  @Test
  void aKilledTaskManagerLosesNoFrameAndNoStreamMemory() throws Exception {
    String jobManager = startBrokerAndCluster(2, 1);
    String bootstrap = kafka.bootstrapServers();
    Path model = EndToEndFixture.writeModel(dir.resolve("model"));
    int size = EndToEndFixture.imageSize();
    Path clusterDir = clusterDir();

    List<String> jobArguments = List.of("--bootstrap-servers", bootstrap, "--model", model.toString(),
        "--parallelism", "2", "--emit-policy", "every-frame", "--checkpoint-interval", "1s", "--max-frame-age", "0s",
        "--max-batch-size", String.valueOf(STREAMS), "--max-wait", "50ms");
    CliRun submitted = CliRun.of(concat(List.of("submit", "--jobmanager", jobManager, "--jar", JOB_JAR.toString()),
        jobArguments));
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    String job = submitted.out().trim();
    FlinkRest rest = new FlinkRest(jobManager);

    long start0 = System.currentTimeMillis();
    long killedAt;
    Arrivals arrivals = new Arrivals(bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaAccess(bootstrap).producer()) {
      killedAt = 0;
      for (int round = 0; round < FRAMES; round++) {
        long due = start0 + round * ROUND_MILLIS;
        Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
        for (ProducerRecord<byte[], byte[]> record
            : EndToEndFixture.frames(Topics.FRAMES, STREAMS, round, round + 1, start0, size)) {
          producer.send(record);
        }
        producer.flush();
        if (round == KILL_AFTER_ROUND) {
          awaitCompletedCheckpoints(rest, job, 2);
          long pid = pidRunningInference(rest, job, clusterDir);
          ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
          killedAt = System.currentTimeMillis();
          CliRun replacement = CliRun.of("cluster", "start", "--dir", clusterDir.toString(), "--taskmanagers", "1");
          assertThat(replacement.exitCode()).as(replacement.err()).isZero();
        }
      }
    }
    List<ConsumerRecord<byte[], byte[]>> committed = arrivals.await(STREAMS * FRAMES, Duration.ofMinutes(4));
    long recoveredAt = arrivals.firstAfter(killedAt + 1);
    long gap = arrivals.longestGap();
    arrivals.close();

    List<TextEvent> events = EndToEndFixture.textEvents(committed);
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.getEventId()));
    assertThat(events).as("committed events").hasSize(STREAMS * FRAMES);
    assertThat(ids).as("distinct event ids").hasSize(STREAMS * FRAMES);
    Map<String, String> captions = EndToEndFixture.captionsByFrame(events);
    CasaStreamJobOptions options = CasaStreamJob.parseOptions(jobArguments);
    Map<String, String> expected = EndToEndFixture.runModelDirectly(options, STREAMS, FRAMES, size);
    EndToEndFixture.assertTextDependsOnMemory(options, STREAMS, FRAMES, size, expected);
    assertThat(captions).as("every stream's captions after the TaskManager was killed").isEqualTo(expected);
    assertThat(rest.get("jobs/" + job).path("state").asText()).isEqualTo("RUNNING");
    System.out.printf("TaskManager kill: %d frames of %d streams, all committed once; output gap %.1f s,"
        + " first committed event %.1f s after the kill%n", STREAMS * FRAMES, STREAMS, gap / 1000.0,
        (recoveredAt - killedAt) / 1000.0);
  }

  /** The pid of a TaskManager running a subtask of the inference operator, from the REST API and the cluster's pid files. */
  private static long pidRunningInference(FlinkRest rest, String job, Path clusterDir) throws Exception {
    String vertex = null;
    for (JsonNode v : rest.get("jobs/" + job).path("vertices")) {
      if (v.path("name").asText().startsWith("CASA inference")) {
        vertex = v.path("id").asText();
      }
    }
    assertThat(vertex).as("the inference vertex").isNotNull();
    Set<String> hosting = new HashSet<>();
    for (JsonNode subtask : rest.get("jobs/" + job + "/vertices/" + vertex).path("subtasks")) {
      hosting.add(subtask.path("taskmanager-id").asText());
    }
    for (LocalCluster.Member member : new LocalCluster(clusterDir).members()) {
      if (hosting.contains(member.name()) && member.alive()) {
        return member.pid();
      }
    }
    throw new AssertionError("no live TaskManager of the cluster runs inference subtasks on " + hosting);
  }

  private static void awaitCompletedCheckpoints(FlinkRest rest, String job, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (rest.get("jobs/" + job + "/checkpoints").path("counts").path("completed").asInt() < count) {
      assertThat(System.nanoTime()).as("%d completed checkpoints", count).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Committed text events as a downstream consumer reads them, with when each arrived. */
  private static final class Arrivals implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    Arrivals(String bootstrap) {
      consumer = new KafkaAccess(bootstrap).committedConsumer();
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.TEXT_EVENTS).stream()
          .map(p -> new TopicPartition(Topics.TEXT_EVENTS, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      thread = new Thread(() -> {
        while (!stopped) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            synchronized (records) {
              records.add(record);
              times.add(System.currentTimeMillis());
            }
          }
        }
      }, "committed-text-events");
      thread.start();
    }

    List<ConsumerRecord<byte[], byte[]>> await(int expected, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (records) {
          if (records.size() >= expected) {
            break;
          }
        }
        Thread.sleep(200);
      }
      Thread.sleep(3000); // anything beyond the expected count (a duplicate) shows up here too
      synchronized (records) {
        return new ArrayList<>(records);
      }
    }

    long firstAfter(long millis) {
      synchronized (records) {
        return times.stream().filter(t -> t >= millis).findFirst().orElse(Long.MAX_VALUE);
      }
    }

    /** The longest time without a committed event between the first and the last. */
    long longestGap() {
      synchronized (records) {
        long gap = 0;
        for (int i = 1; i < times.size(); i++) {
          gap = Math.max(gap, times.get(i) - times.get(i - 1));
        }
        return gap;
      }
    }

    @Override
    public void close() throws InterruptedException {
      stopped = true;
      thread.join(TimeUnit.SECONDS.toMillis(5));
      consumer.close();
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

}
