package casastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CapacityPlanTest {

  private final CapacityPlan plan = new CapacityPlan(50, 0.7, 1, 82_000, 90_000, 10, 2_000, 10e6);

  @Test
  void taskManagersCoverTheFrameRateWithHeadroom() {
    CapacityPlan.Row row = plan.size(1_000, 1.0);
    assertThat(row.framesPerSecond()).isEqualTo(1_000);
    assertThat(row.taskManagers()).isEqualTo(29); // 1000 / (50 * 0.7) = 28.6
    assertThat(row.slots()).isEqualTo(29);
  }

  @Test
  void stateAndFullCheckpointGrowLinearlyWithStreams() {
    CapacityPlan.Row small = plan.size(1_000, 1.0);
    CapacityPlan.Row large = plan.size(100_000, 1.0);
    assertThat(large.stateBytes()).isCloseTo(100 * small.stateBytes(), within(1.0));
    assertThat(large.fullCheckpointBytes()).isEqualTo(9e9);
  }

  @Test
  void incrementalCheckpointIsBoundedByTheFullOne() {
    CapacityPlan.Row slow = plan.size(1_000, 0.01); // 10 frames/s: 100 stream values rewritten per 10 s
    assertThat(slow.incrementalCheckpointBytes()).isEqualTo(100 * 82_000.0);
    CapacityPlan.Row fast = plan.size(1_000, 1.0); // every stream rewritten within the interval
    assertThat(fast.incrementalCheckpointBytes()).isEqualTo(fast.fullCheckpointBytes());
  }

  @Test
  void partitionsFollowSlotsUntilBandwidthNeedsMore() {
    assertThat(plan.size(1_000, 1.0).partitions()).isEqualTo(29); // 2 MB/s fits; one per slot
    CapacityPlan heavyFrames = new CapacityPlan(50, 0.7, 1, 82_000, 90_000, 10, 200_000, 10e6);
    assertThat(heavyFrames.size(1_000, 1.0).partitions()).isEqualTo(29); // 200 MB/s / 10 MB/s = 20 < 29 slots
    assertThat(heavyFrames.size(10_000, 1.0).kafkaBytesPerSecond()).isEqualTo(2e9);
    assertThat(heavyFrames.size(10_000, 1.0).partitions()).isEqualTo(286);
  }
}
