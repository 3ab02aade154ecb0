package casastream.operators.inference;

import static casastream.operators.inference.FrameAdmission.Decision.ACCEPT;
import static casastream.operators.inference.FrameAdmission.Decision.LATE;
import static casastream.operators.inference.FrameAdmission.Decision.OVER_RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameAdmissionTest {

  @Test
  void acceptsTheFirstFrameOfAStream() {
    assertThat(new FrameAdmission(0).decide(42, 1000, -1, 0)).isEqualTo(ACCEPT);
  }

  @Test
  void refusesAFrameNotNewerBySequenceOrByCaptureTime() {
    FrameAdmission admission = new FrameAdmission(0);
    assertThat(admission.decide(5, 2000, 5, 1000)).isEqualTo(LATE);
    assertThat(admission.decide(4, 2000, 5, 1000)).isEqualTo(LATE);
    assertThat(admission.decide(6, 999, 5, 1000)).isEqualTo(LATE);
    assertThat(admission.decide(6, 1000, 5, 1000)).isEqualTo(ACCEPT);
  }

  @Test
  void dropsFramesCloserThanTheRateLimitAllows() {
    FrameAdmission fourPerSecond = new FrameAdmission(4);
    assertThat(fourPerSecond.decide(6, 1249, 5, 1000)).isEqualTo(OVER_RATE);
    assertThat(fourPerSecond.decide(6, 1250, 5, 1000)).isEqualTo(ACCEPT);
  }

  @Test
  void refusesANegativeRate() {
    assertThatThrownBy(() -> new FrameAdmission(-1)).hasMessageContaining("frames per second");
  }
}
