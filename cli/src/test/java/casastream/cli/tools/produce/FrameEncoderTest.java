package casastream.cli.tools.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.schemas.FrameEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {

  @Test
  void aPictureUnderTheLimitKeepsItsPreferredEncodingAndExactPixels() throws Exception {
    BufferedImage picture = noise(64, 64, 1);
    FrameEncoder.Encoded encoded = new FrameEncoder(FrameEncoding.PNG, 1 << 20, false).encode(picture);

    assertThat(encoded.encoding()).isEqualTo(FrameEncoding.PNG);
    assertThat(encoded.width()).isEqualTo(64);
    BufferedImage decoded = decode(encoded.bytes());
    assertThat(decoded.getRGB(10, 20)).isEqualTo(picture.getRGB(10, 20));
    assertThat(decoded.getRGB(63, 63)).isEqualTo(picture.getRGB(63, 63));
  }

  @Test
  void anOversizedPictureIsReencodedSmallerUntilItFits() throws Exception {
    BufferedImage picture = noise(640, 480, 2);
    int limit = 40_000;
    FrameEncoder.Encoded encoded = new FrameEncoder(FrameEncoding.JPEG, limit, true).encode(picture);

    assertThat(encoded.bytes().length).isLessThanOrEqualTo(limit);
    assertThat(encoded.encoding()).isEqualTo(FrameEncoding.JPEG);
    BufferedImage decoded = decode(encoded.bytes());
    assertThat(decoded.getWidth()).isEqualTo(encoded.width()).isLessThanOrEqualTo(640);
    assertThat(decoded.getHeight()).isEqualTo(encoded.height());
  }

  @Test
  void anOversizedPictureIsRefusedWhenReencodingIsNotAllowed() {
    FrameEncoder encoder = new FrameEncoder(FrameEncoding.JPEG, 10_000, false);
    assertThatThrownBy(() -> encoder.encode(noise(640, 480, 3)))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("640x480")
        .hasMessageContaining("max.message.bytes")
        .hasMessageContaining("--oversize reencode");
  }

  @Test
  void aLimitNoReencodingCanMeetIsRefusedWithWhatToRaise() {
    FrameEncoder encoder = new FrameEncoder(FrameEncoding.JPEG, 200, true);
    assertThatThrownBy(() -> encoder.encode(noise(256, 256, 4)))
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("does not fit in 200 bytes")
        .hasMessageContaining("max.message.bytes");
  }

  @Test
  void greyAndAlphaPicturesAreEncodedAsRgb() throws Exception {
    BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage alpha = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    FrameEncoder encoder = new FrameEncoder(FrameEncoding.JPEG, 1 << 20, false);
    assertThat(decode(encoder.encode(grey).bytes()).getWidth()).isEqualTo(32);
    assertThat(decode(encoder.encode(alpha).bytes()).getWidth()).isEqualTo(32);
  }

  private static BufferedImage noise(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  private static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }
}
