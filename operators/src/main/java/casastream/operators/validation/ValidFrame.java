package casastream.operators.validation;

import java.util.Arrays;
import java.util.Objects;

/**
 * A frame that passed validation, ready for the model: its identity, provenance and pixels
 * resized to the configured target size. A Flink POJO (public fields, no-argument constructor),
 * serialized field by field without Kryo; the pixels travel as one byte array.
 */
public class ValidFrame {

  public String streamId;
  public long sequence;
  /** Capture time, epoch milliseconds. */
  public long captureTimeMillis;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  public int width;
  public int height;
  /** (height, width, 3) row-major RGB bytes: pixel (x, y) starts at index 3 * (y * width + x). */
  public byte[] rgb;

  public ValidFrame() {}

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ValidFrame other)) {
      return false;
    }
    return sequence == other.sequence && captureTimeMillis == other.captureTimeMillis
        && sourcePartition == other.sourcePartition && sourceOffset == other.sourceOffset
        && width == other.width && height == other.height
        && Objects.equals(streamId, other.streamId) && Objects.equals(sourceTopic, other.sourceTopic)
        && Arrays.equals(rgb, other.rgb);
  }

  @Override
  public int hashCode() {
    return Objects.hash(streamId, sequence, sourceTopic, sourcePartition, sourceOffset);
  }

  @Override
  public String toString() {
    return "ValidFrame{" + streamId + "#" + sequence + " from " + sourceTopic + "-"
        + sourcePartition + "@" + sourceOffset + ", " + width + "x" + height + "}";
  }
}
