package casastream.operators.validation;

import casastream.schemas.DeadLetterReason;

/**
 * Why a frame was refused: the reason code written to the dead-letter topic and a detail for
 * people. Thrown inside the validation stage only, for refusals that are expected traffic, so it
 * carries no stack trace.
 */
public final class FrameRejection extends Exception {

  private final DeadLetterReason reason;
  private final String streamId;

  public FrameRejection(DeadLetterReason reason, String detail) {
    this(reason, detail, null);
  }

  private FrameRejection(DeadLetterReason reason, String detail, String streamId) {
    super(detail, null, false, false);
    this.reason = reason;
    this.streamId = streamId;
  }

  /** The same refusal, now attributed to a stream whose id was read and found valid. */
  FrameRejection forStream(String validStreamId) {
    return new FrameRejection(reason, getMessage(), validStreamId);
  }

  public DeadLetterReason reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }

  /** The frame's stream id, or null when it could not be read or was itself invalid. */
  public String streamId() {
    return streamId;
  }
}
