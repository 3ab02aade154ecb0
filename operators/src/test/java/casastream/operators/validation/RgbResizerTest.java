package casastream.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class RgbResizerTest {

  @Test
  void pixelsComeOutRowMajorInRgbOrder() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0000);
    image.setRGB(1, 0, 0x00FF00);
    image.setRGB(0, 1, 0x0000FF);
    image.setRGB(1, 1, 0xFFFFFF);

    byte[] rgb = new RgbResizer(2, 2).toRgb(image);

    assertThat(rgb).containsExactly(
        (byte) 255, 0, 0, 0, (byte) 255, 0,
        0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255);
  }

  @Test
  void anImageAlreadyAtTheTargetSizeGivesTheSamePixelsAsDrawingIt() {
    java.util.Random random = new java.util.Random(5);
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
      BufferedImage image = new BufferedImage(7, 5, type);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          image.setRGB(x, y, 0xFF000000 | random.nextInt(1 << 24));
        }
      }
      // reference: draw onto a 3-byte BGR canvas of the same size, then read R, G, B in order
      BufferedImage drawn = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
      java.awt.Graphics2D g = drawn.createGraphics();
      g.drawImage(image, 0, 0, 7, 5, null);
      g.dispose();
      byte[] expected = new byte[7 * 5 * 3];
      for (int y = 0, i = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++, i += 3) {
          int argb = drawn.getRGB(x, y);
          expected[i] = (byte) (argb >>> 16);
          expected[i + 1] = (byte) (argb >>> 8);
          expected[i + 2] = (byte) argb;
        }
      }

      assertThat(new RgbResizer(7, 5).toRgb(image)).as("image type %d", type).containsExactly(expected);
    }
  }

  @Test
  void aLargeReductionAveragesFineDetailInsteadOfSamplingIt() {
    // One-pixel black and white columns: any fair reduction is mid-grey; sampling gives black or white.
    BufferedImage stripes = new BufferedImage(1000, 64, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 1000; x += 2) {
      for (int y = 0; y < 64; y++) {
        stripes.setRGB(x, y, 0xFFFFFF);
      }
    }

    byte[] rgb = new RgbResizer(16, 16).toRgb(stripes);

    for (byte value : rgb) {
      assertThat(value & 0xFF).isBetween(96, 160);
    }
  }

  @Test
  void smallImagesAreScaledUpToTheTarget() {
    assertThat(new RgbResizer(64, 48).toRgb(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY)))
        .hasSize(64 * 48 * 3);
  }
}
