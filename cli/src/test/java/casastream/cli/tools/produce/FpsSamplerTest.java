package casastream.cli.tools.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FpsSamplerTest {

  @Test
  void aThirtyFpsTimelineSampledAtTwoFpsKeepsOnePictureEveryHalfSecond() {
    FpsSampler sampler = new FpsSampler(2);
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      long media = Math.round(i * 1000.0 / 30);
      if (sampler.keep(media)) {
        kept.add(media);
      }
    }
    assertThat(kept).containsExactly(0L, 500L, 1000L, 1500L, 2000L, 2500L);
  }

  @Test
  void aSourceSlowerThanTheTargetKeepsEveryPicture() {
    FpsSampler sampler = new FpsSampler(10);
    for (int i = 0; i < 20; i++) {
      assertThat(sampler.keep(i * 500L)).isTrue();
    }
  }

  @Test
  void irregularTimestampsStayOnTheSlotGrid() {
    FpsSampler sampler = new FpsSampler(1);
    assertThat(sampler.keep(0)).isTrue();
    assertThat(sampler.keep(990)).isFalse();
    assertThat(sampler.keep(1010)).isTrue();
    assertThat(sampler.keep(1990)).isFalse();
    assertThat(sampler.keep(2001)).isTrue();
  }

  @Test
  void aRateThatIsNotPositiveIsRefusedWithTheOptionToFix() {
    assertThatThrownBy(() -> new FpsSampler(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--fps");
  }
}
