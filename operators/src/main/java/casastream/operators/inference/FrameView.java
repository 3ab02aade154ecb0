package casastream.operators.inference;

import java.io.Serializable;

/**
 * Reads what the inference operator needs from the job's frame type, so that the operator does
 * not depend on how frames were decoded and validated upstream.
 */
public interface FrameView<F> extends Serializable {

  String streamId(F frame);

  long sequence(F frame);

  long captureTimeMillis(F frame);

  /** Row-major RGB pixels at the model's image size. */
  byte[] rgb(F frame);

  /** The Kafka topic the frame was read from; null when it did not come from Kafka. */
  default String sourceTopic(F frame) {
    return null;
  }

  /** Its partition there (ignored when {@link #sourceTopic} is null). */
  default int sourcePartition(F frame) {
    return -1;
  }

  /** Its offset there (ignored when {@link #sourceTopic} is null). */
  default long sourceOffset(F frame) {
    return -1;
  }
}
