package casastream.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

class StopSignalTest {

  @Test
  void stoppingRunsEveryActionOnceAndLateActionsAtOnce() {
    AtomicInteger runs = new AtomicInteger();
    try (StopSignal stop = StopSignal.manual()) {
      stop.onStop(runs::incrementAndGet);
      assertThat(stop.getAsBoolean()).isFalse();
      stop.stop();
      stop.stop();
      assertThat(runs).hasValue(1);
      stop.onStop(runs::incrementAndGet);
      assertThat(runs).hasValue(2);
      assertThat(stop.getAsBoolean()).isTrue();
    }
  }

  @Test
  void aTerminationSignalRaisesTheStopInsteadOfEndingTheJvm() throws InterruptedException {
    AtomicInteger woken = new AtomicInteger();
    try (StopSignal stop = StopSignal.onCtrlC()) {
      stop.onStop(woken::incrementAndGet);
      Signal.raise(new Signal("TERM"));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!stop.getAsBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(stop.getAsBoolean()).isTrue();
      assertThat(woken).hasValue(1);
    }
  }
}
