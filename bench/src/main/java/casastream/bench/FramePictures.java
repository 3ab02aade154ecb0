package casastream.bench;

import casastream.cli.tools.frames.FrameImages;
import casastream.cli.tools.produce.FrameEncoder;
import casastream.cli.tools.produce.FrameTooLargeException;
import casastream.operators.kafka.KafkaDefaults;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * Frames as the job's producers write them: Avro frames with JPEG pictures of the synthetic world
 * at the model's size, keyed by stream id. A few pictures per stream are encoded up front and
 * cycled, so that producing at a high rate costs the benchmark little CPU.
 */
final class FramePictures {

  private static final int PICTURES_PER_STREAM = 4;

  private final byte[][][] jpegs;
  private final int side;

  FramePictures(int streams, int side, long seed) {
    this.side = side;
    FrameEncoder encoder = new FrameEncoder(FrameEncoding.JPEG, KafkaDefaults.MAX_MESSAGE_BYTES, false);
    WorldStreams world = new WorldStreams(side, streams, seed);
    jpegs = new byte[streams][PICTURES_PER_STREAM][];
    for (int s = 0; s < streams; s++) {
      for (int p = 0; p < PICTURES_PER_STREAM; p++) {
        jpegs[s][p] = jpeg(encoder, world.next(s));
      }
    }
  }

  private byte[] jpeg(FrameEncoder encoder, byte[] rgb) {
    BufferedImage image = FrameImages.toImage(rgb, side, side);
    try {
      return encoder.encode(image).bytes();
    } catch (FrameTooLargeException e) {
      throw new IllegalStateException("a " + side + "x" + side + " JPEG cannot exceed the message limit", e);
    }
  }

  static String streamId(int stream) {
    return String.format("cam-%05d", stream);
  }

  int streams() {
    return jpegs.length;
  }

  /** The Avro message of frame {@code sequence} of {@code stream}, captured at {@code captureMillis}. */
  byte[] message(int stream, long sequence, long captureMillis) {
    return AvroCodec.frames().encode(Frame.newBuilder()
        .setStreamId(streamId(stream))
        .setSequence(sequence)
        .setCaptureTime(Instant.ofEpochMilli(captureMillis))
        .setEncoding(FrameEncoding.JPEG)
        .setWidth(side)
        .setHeight(side)
        .setImage(ByteBuffer.wrap(jpegs[stream][(int) (sequence % PICTURES_PER_STREAM)]))
        .setAttributes(Map.of())
        .build());
  }

  /** Mean message size over every stream's pictures. */
  double meanMessageBytes() {
    long bytes = 0;
    for (int s = 0; s < jpegs.length; s++) {
      for (int p = 0; p < PICTURES_PER_STREAM; p++) {
        bytes += message(s, p, 0).length;
      }
    }
    return (double) bytes / (jpegs.length * PICTURES_PER_STREAM);
  }
}
