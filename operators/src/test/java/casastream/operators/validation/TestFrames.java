package casastream.operators.validation;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Frames and images for the validation tests: real JPEG/PNG files written by ImageIO. */
final class TestFrames {

  static final long NOW = 1_764_000_000_000L;

  private TestFrames() {}

  /** A smooth colour gradient, so decoders and resizers have structure to keep. */
  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (255 * x / width) << 16 | (255 * y / height) << 8 | 128);
      }
    }
    return image;
  }

  static byte[] jpeg(int width, int height) {
    return write(gradient(width, height), "jpg");
  }

  static byte[] png(int width, int height) {
    return write(gradient(width, height), "png");
  }

  /** Row-major RGB bytes of one colour. */
  static byte[] rawRgb(int width, int height, int r, int g, int b) {
    byte[] bytes = new byte[width * height * 3];
    for (int i = 0; i < bytes.length; i += 3) {
      bytes[i] = (byte) r;
      bytes[i + 1] = (byte) g;
      bytes[i + 2] = (byte) b;
    }
    return bytes;
  }

  /** A PNG whose header (IHDR, CRC fixed) claims another size than its pixel data holds. */
  static byte[] pngClaiming(byte[] png, int width, int height) {
    byte[] patched = png.clone();
    ByteBuffer buffer = ByteBuffer.wrap(patched);
    // Signature (8) + IHDR length (4) + "IHDR" (4): width and height follow, then 5 bytes, then the CRC.
    buffer.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(patched, 12, 17);
    buffer.putInt(29, (int) crc.getValue());
    return patched;
  }

  static Frame.Builder frame(FrameEncoding encoding, int width, int height, byte[] image) {
    return Frame.newBuilder()
        .setStreamId("cam-7")
        .setSequence(1)
        .setCaptureTime(Instant.ofEpochMilli(NOW - 1000))
        .setEncoding(encoding)
        .setWidth(width)
        .setHeight(height)
        .setImage(ByteBuffer.wrap(image))
        .setAttributes(Map.of());
  }

  static Frame.Builder frameAt(String uri, FrameEncoding encoding, int width, int height) {
    return frame(encoding, width, height, new byte[0]).setImage(new ImageReference(uri));
  }

  static RawKafkaRecord record(Frame frame) {
    return record(frame.getStreamId(), AvroCodec.frames().encode(frame));
  }

  static RawKafkaRecord record(String key, byte[] value) {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    return new RawKafkaRecord("frames", 0, 17, NOW, keyBytes, value);
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
