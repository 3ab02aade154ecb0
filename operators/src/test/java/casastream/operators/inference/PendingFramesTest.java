package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PendingFramesTest {

  private static List<String> ids(List<PendingFrames.Pending<String>> step) {
    return step.stream().map(PendingFrames.Pending::frame).toList();
  }

  @Test
  void takesAtMostOneFramePerStreamPerStepInArrivalOrder() {
    PendingFrames<String> pending = new PendingFrames<>();
    pending.add("a", "a0", 0);
    pending.add("a", "a1", 0);
    pending.add("b", "b0", 0);

    assertThat(ids(pending.nextStep(8))).containsExactly("a0", "b0");
    assertThat(ids(pending.nextStep(8))).containsExactly("a1");
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  void servesStreamsRoundRobinSoABusyStreamCannotStarveOthers() {
    PendingFrames<String> pending = new PendingFrames<>();
    for (int i = 0; i < 3; i++) {
      pending.add("a", "a" + i, 0);
    }
    pending.add("b", "b0", 0);
    pending.add("c", "c0", 0);

    assertThat(ids(pending.nextStep(2))).containsExactly("a0", "b0");
    assertThat(ids(pending.nextStep(2))).containsExactly("c0", "a1");
    assertThat(ids(pending.nextStep(2))).containsExactly("a2");
  }

  @Test
  void countsFramesAndStreamsAndKnowsEachStreamsNewestFrame() {
    PendingFrames<String> pending = new PendingFrames<>();
    pending.add("a", "a0", 0);
    pending.add("a", "a1", 0);
    pending.add("b", "b0", 0);

    assertThat(pending.size()).isEqualTo(3);
    assertThat(pending.streamCount()).isEqualTo(2);
    assertThat(pending.newest("a")).isEqualTo("a1");
    assertThat(pending.newest("z")).isNull();
  }
}
