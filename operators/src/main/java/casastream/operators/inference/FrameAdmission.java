package casastream.operators.inference;

/**
 * Decides, when a frame arrives, whether it may wait for inference: frames must come in order per
 * stream, and a stream may be limited to a maximum rate.
 */
public final class FrameAdmission {

  /** What happens to an arriving frame. */
  public enum Decision {
    ACCEPT,
    /** Not newer than the stream's last accepted frame, by sequence or capture time. */
    LATE,
    /** Closer in capture time to the previous accepted frame than the stream's rate limit allows. */
    OVER_RATE
  }

  private final long minIntervalMillis;

  /** @param maxFramesPerSecond 0 for no rate limit */
  public FrameAdmission(double maxFramesPerSecond) {
    if (maxFramesPerSecond < 0 || Double.isNaN(maxFramesPerSecond)) {
      throw new IllegalArgumentException(
          "Maximum frames per second must be 0 (no limit) or more, was " + maxFramesPerSecond);
    }
    this.minIntervalMillis = maxFramesPerSecond == 0 ? 0 : (long) Math.ceil(1000.0 / maxFramesPerSecond);
  }

  /**
   * @param lastSequence the stream's last accepted sequence, or -1 if none
   * @param lastCaptureMillis the stream's last accepted capture time (ignored when lastSequence is -1)
   */
  public Decision decide(long sequence, long captureMillis, long lastSequence, long lastCaptureMillis) {
    if (lastSequence < 0) {
      return Decision.ACCEPT;
    }
    if (sequence <= lastSequence || captureMillis < lastCaptureMillis) {
      return Decision.LATE;
    }
    if (captureMillis - lastCaptureMillis < minIntervalMillis) {
      return Decision.OVER_RATE;
    }
    return Decision.ACCEPT;
  }
}
