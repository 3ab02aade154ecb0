package casastream.operators.reliability;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Real JPEG and PNG files written by ImageIO, and surgical damage to their headers: the raw
 * material of the hostile corpus and of the fuzzer's starting points. Deterministic: the same
 * arguments give the same bytes.
 */
public final class CorpusImages {

  private CorpusImages() {}

  public static byte[] jpeg(int width, int height, int shade) {
    return write(pattern(width, height, shade), "jpg");
  }

  public static byte[] png(int width, int height, int shade) {
    return write(pattern(width, height, shade), "png");
  }

  /** Row-major RGB bytes (height x width x 3) of the same pattern. */
  static byte[] rawRgb(int width, int height, int shade) {
    BufferedImage image = pattern(width, height, shade);
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i += 3) {
        int pixel = image.getRGB(x, y);
        rgb[i] = (byte) (pixel >> 16);
        rgb[i + 1] = (byte) (pixel >> 8);
        rgb[i + 2] = (byte) pixel;
      }
    }
    return rgb;
  }

  /**
   * The PNG with its IHDR chunk claiming another size (CRC recomputed, so only the size lies): a
   * few kilobytes that would decode to width x height pixels.
   */
  public static byte[] pngClaiming(byte[] png, int width, int height) {
    byte[] patched = png.clone();
    ByteBuffer buffer = ByteBuffer.wrap(patched);
    // Signature (8) + IHDR length (4) + "IHDR" (4): width and height, 5 more bytes, then the CRC.
    buffer.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(patched, 12, 17);
    buffer.putInt(29, (int) crc.getValue());
    return patched;
  }

  /** The JPEG with its start-of-frame segment claiming another size (16-bit fields, as JPEG has). */
  static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
    byte[] patched = jpeg.clone();
    for (int i = 2; i + 8 < patched.length; i++) {
      // SOF0 (baseline) or SOF2 (progressive): marker, length (2), precision (1), height (2), width (2).
      int marker = patched[i + 1] & 0xFF;
      if ((patched[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
        ByteBuffer.wrap(patched).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
        return patched;
      }
    }
    throw new IllegalArgumentException("No start-of-frame segment in the JPEG");
  }

  /** A smooth gradient with a shade per stream, so frames of different streams differ. */
  public static BufferedImage pattern(int width, int height, int shade) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (255 * x / width) << 16 | (255 * y / height) << 8 | (shade & 0xFF));
      }
    }
    return image;
  }

  private static byte[] write(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("No ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
