package casastream.operators.inference;

import casastream.operators.queries.EmitPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How the inference operator batches, sheds load, emits and forgets. Built with {@link #builder()}
 * and checked at {@link Builder#build()}, which names the setting that is wrong.
 */
public final class InferenceSettings implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The largest batch a step may hold: larger ones only add latency and memory on any device. */
  public static final int MAX_BATCH_SIZE = 4096;

  private final int maxBatchSize;
  private final long maxWaitMillis;
  private final int maxPendingFrames;
  private final long maxFrameAgeMillis;
  private final double maxFramesPerSecond;
  private final long idleTimeoutMillis;
  private final EmitPolicy captionPolicy;
  private final Duration modelLinger;

  private InferenceSettings(Builder b) {
    this.maxBatchSize = b.maxBatchSize;
    this.maxWaitMillis = b.maxWait.toMillis();
    this.maxPendingFrames = b.maxPendingFrames == 0 ? 4 * b.maxBatchSize : b.maxPendingFrames;
    this.maxFrameAgeMillis = b.maxFrameAge.toMillis();
    this.maxFramesPerSecond = b.maxFramesPerSecond;
    this.idleTimeoutMillis = b.idleTimeout.toMillis();
    this.captionPolicy = b.captionPolicy;
    this.modelLinger = b.modelLinger;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Most streams in one batch step (one frame each). */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Longest a frame waits for its batch to fill before a partial batch runs. */
  public long maxWaitMillis() {
    return maxWaitMillis;
  }

  /**
   * Most frames waiting in the operator; at this bound batches run at once, which back-pressures
   * the sources. It also bounds the work a checkpoint waits for: all waiting frames are processed
   * before the barrier moves on.
   */
  public int maxPendingFrames() {
    return maxPendingFrames;
  }

  /** Frames older than this (capture time to batch time) are dropped; 0 keeps every frame. */
  public long maxFrameAgeMillis() {
    return maxFrameAgeMillis;
  }

  /** Per-stream rate limit by capture time; 0 for none. */
  public double maxFramesPerSecond() {
    return maxFramesPerSecond;
  }

  /** A stream silent this long (processing time) has its state cleared. */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public EmitPolicy captionPolicy() {
    return captionPolicy;
  }

  /** How long the shared model stays loaded after its last subtask closed, for a quick restart. */
  public Duration modelLinger() {
    return modelLinger;
  }

  @Override
  public String toString() {
    return "maxBatchSize=" + maxBatchSize + ", maxWait=" + maxWaitMillis + "ms, maxPendingFrames="
        + maxPendingFrames + ", maxFrameAge=" + maxFrameAgeMillis + "ms, maxFramesPerSecond="
        + maxFramesPerSecond + ", idleTimeout=" + idleTimeoutMillis + "ms, captionPolicy=" + captionPolicy;
  }

  /** Defaults suit a CPU TaskManager with a small model. */
  public static final class Builder {
    private int maxBatchSize = 32;
    private Duration maxWait = Duration.ofMillis(50);
    private int maxPendingFrames;
    private Duration maxFrameAge = Duration.ofSeconds(10);
    private double maxFramesPerSecond;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private EmitPolicy captionPolicy = EmitPolicy.onChange();
    private Duration modelLinger = Duration.ofMinutes(1);

    private Builder() {}

    public Builder maxBatchSize(int value) {
      this.maxBatchSize = value;
      return this;
    }

    public Builder maxWait(Duration value) {
      this.maxWait = value;
      return this;
    }

    /** 0 (the default) means four batches' worth. */
    public Builder maxPendingFrames(int value) {
      this.maxPendingFrames = value;
      return this;
    }

    /** {@link Duration#ZERO} keeps frames however old. */
    public Builder maxFrameAge(Duration value) {
      this.maxFrameAge = value;
      return this;
    }

    public Builder maxFramesPerSecond(double value) {
      this.maxFramesPerSecond = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    public Builder captionPolicy(EmitPolicy value) {
      this.captionPolicy = value;
      return this;
    }

    /** {@link Duration#ZERO} closes the model as soon as its last subtask closes. */
    public Builder modelLinger(Duration value) {
      this.modelLinger = value;
      return this;
    }

    public InferenceSettings build() {
      require(maxBatchSize >= 1 && maxBatchSize <= MAX_BATCH_SIZE,
          "maxBatchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + maxBatchSize);
      requirePositive("maxWait", maxWait);
      require(maxPendingFrames == 0 || maxPendingFrames >= maxBatchSize,
          "maxPendingFrames must be 0 (four batches) or at least maxBatchSize (" + maxBatchSize
              + "), was " + maxPendingFrames);
      require(maxFrameAge != null && !maxFrameAge.isNegative(),
          "maxFrameAge must be 0 (keep every frame) or positive, was " + maxFrameAge);
      require(maxFramesPerSecond >= 0 && Double.isFinite(maxFramesPerSecond),
          "maxFramesPerSecond must be 0 (no limit) or positive, was " + maxFramesPerSecond);
      requirePositive("idleTimeout", idleTimeout);
      require(captionPolicy != null, "captionPolicy must be set");
      require(modelLinger != null && !modelLinger.isNegative(), "modelLinger must be 0 or positive, was " + modelLinger);
      return new InferenceSettings(this);
    }

    private static void requirePositive(String name, Duration value) {
      require(value != null && !value.isNegative() && !value.isZero(),
          name + " must be a positive duration, was " + value);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
