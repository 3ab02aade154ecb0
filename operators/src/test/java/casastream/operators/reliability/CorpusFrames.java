package casastream.operators.reliability;

import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Frames as producers write them: built field by field and single-object encoded. */
final class CorpusFrames {

  static final AvroCodec<Frame> CODEC = AvroCodec.frames();

  private CorpusFrames() {}

  static Frame.Builder frame(String streamId, long sequence, long captureMillis,
      FrameEncoding encoding, int width, int height, byte[] image) {
    return Frame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTime(Instant.ofEpochMilli(captureMillis))
        .setEncoding(encoding)
        .setWidth(width)
        .setHeight(height)
        .setImage(ByteBuffer.wrap(image))
        .setAttributes(Map.of());
  }

  /**
   * A well-formed frame of a stream: JPEG, PNG and RAW_RGB in turn, of sizes that need resizing,
   * each stream in its own shade.
   */
  static Frame good(String streamId, int shade, long sequence, long captureMillis) {
    return switch ((int) (sequence % 3)) {
      case 0 -> frame(streamId, sequence, captureMillis, FrameEncoding.JPEG, 96, 72,
          CorpusImages.jpeg(96, 72, shade)).build();
      case 1 -> frame(streamId, sequence, captureMillis, FrameEncoding.PNG, 80, 80,
          CorpusImages.png(80, 80, shade)).build();
      default -> frame(streamId, sequence, captureMillis, FrameEncoding.RAW_RGB, 32, 24,
          CorpusImages.rawRgb(32, 24, shade)).build();
    };
  }

  static byte[] encode(Frame frame) {
    return CODEC.encode(frame);
  }

  static byte[] encode(Frame.Builder frame) {
    return CODEC.encode(frame.build());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
