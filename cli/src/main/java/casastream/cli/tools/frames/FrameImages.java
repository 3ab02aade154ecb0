package casastream.cli.tools.frames;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.validation.FrameRejection;
import casastream.operators.validation.FrameValidator;
import casastream.operators.validation.ValidFrame;
import casastream.operators.validation.ValidationOptions;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.DecodeException;
import casastream.schemas.Frame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Pictures of the frames in Kafka, for people: each record goes through the job's own validation
 * (the same limits, the same hardened decoders: a frame the job would refuse is refused here too)
 * and comes out at most {@code maxSide} pixels on its longer side, aspect kept, sides even (what a
 * video encoder needs). Not thread-safe: one instance per thread.
 */
public final class FrameImages {

  /** A frame's picture and where it came from. */
  public record Picture(String streamId, long sequence, long captureMillis, int partition, long offset,
      BufferedImage image) {}

  private static final int CACHED_SIZES = 8;

  private final int maxSide;
  private final AvroCodec<Frame> codec = AvroCodec.frames();
  /** One validator per output size, the latest few: cameras come in few sizes. */
  private final Map<Long, FrameValidator> validators = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, FrameValidator> eldest) {
      return size() > CACHED_SIZES;
    }
  };

  public FrameImages(int maxSide) {
    if (maxSide < 2) {
      throw new IllegalArgumentException("The longest side must be at least 2 pixels, was " + maxSide);
    }
    this.maxSide = maxSide;
  }

  /** The record's picture, or the reason the job would refuse it. */
  public Picture decode(ConsumerRecord<byte[], byte[]> record) throws FrameRejection {
    Frame frame;
    try {
      frame = codec.decode(record.value());
    } catch (DecodeException e) {
      throw new FrameRejection(DeadLetterReason.CORRUPT_RECORD, e.getMessage());
    }
    int[] size = fit(frame.getWidth(), frame.getHeight(), maxSide);
    FrameValidator validator = validators.computeIfAbsent(((long) size[0] << 32) | size[1],
        k -> new FrameValidator(ValidationOptions.builder().targetSize(size[0], size[1]).build()));
    ValidFrame valid = validator.validate(new RawKafkaRecord(record.topic(), record.partition(), record.offset(),
        record.timestamp(), record.key(), record.value()), System.currentTimeMillis());
    return new Picture(valid.streamId, valid.sequence, valid.captureTimeMillis, record.partition(),
        record.offset(), toImage(valid.rgb, valid.width, valid.height));
  }

  /** A size of at most {@code maxSide} on the longer side with the same aspect, both sides even and at least 2. */
  static int[] fit(int width, int height, int maxSide) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(1, Math.max(width, height)));
    return new int[] {even(width * scale), even(height * scale)};
  }

  private static int even(double side) {
    return Math.max(2, 2 * (int) Math.round(side / 2));
  }

  /** Row-major RGB bytes to a Java image, pixel for pixel. */
  public static BufferedImage toImage(byte[] rgb, int width, int height) {
    if (rgb.length != 3 * width * height) {
      throw new IllegalArgumentException(
          "A " + width + "x" + height + " RGB picture has " + 3 * width * height + " bytes, not " + rgb.length);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return image;
  }

  /** The picture as PNG file bytes. */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("No PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a PNG to memory failed", e);
    }
    return out.toByteArray();
  }
}
