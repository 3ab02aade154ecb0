package casastream.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidationOptionsTest {

  @Test
  void defaultsAreSixtyFourPixelFramesAndNoFileUris() {
    ValidationOptions options = ValidationOptions.defaults();

    assertThat(options.targetWidth()).isEqualTo(64);
    assertThat(options.targetHeight()).isEqualTo(64);
    assertThat(options.maxFrameBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(options.fileUriRoot()).isEmpty();
  }

  @Test
  void buildNamesTheBadSetting() {
    assertBad(ValidationOptions.builder().maxFrameBytes(0), "maxFrameBytes");
    assertBad(ValidationOptions.builder().maxImageSize(0, 10), "maxImageSize width");
    assertBad(ValidationOptions.builder().maxImageSize(20_000, 20_000), "maxImageSize");
    assertBad(ValidationOptions.builder().targetSize(64, -1), "targetSize height");
    assertBad(ValidationOptions.builder().maxImageSize(32, 32), "targetSize");
    assertBad(ValidationOptions.builder().maxStreamIdBytes(0), "maxStreamIdBytes");
    assertBad(ValidationOptions.builder().maxFutureSkew(Duration.ofSeconds(-1)), "maxFutureSkew");
    assertBad(ValidationOptions.builder().fileUriRoot(Path.of("relative/dir")), "fileUriRoot");
  }

  private static void assertBad(ValidationOptions.Builder builder, String setting) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(setting);
  }
}
