package casastream.operators.validation;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.reliability.CorpusImages;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Frames and images for the validation tests: real JPEG/PNG files written by ImageIO. */
final class TestFrames {

  static final long NOW = 1_764_000_000_000L;
  /** The blue of every test image. */
  private static final int SHADE = 128;

  private TestFrames() {}

  /** A smooth colour gradient, so decoders and resizers have structure to keep. */
  static BufferedImage gradient(int width, int height) {
    return CorpusImages.pattern(width, height, SHADE);
  }

  static byte[] jpeg(int width, int height) {
    return CorpusImages.jpeg(width, height, SHADE);
  }

  static byte[] png(int width, int height) {
    return CorpusImages.png(width, height, SHADE);
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
    return CorpusImages.pngClaiming(png, width, height);
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
}
