package casastream.operators.validation;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Limits the frame validation stage enforces, checked once when built. Defaults suit 1080p to 4K
 * cameras sending JPEG or PNG frames inline, with file: URI references disabled.
 */
public final class ValidationOptions implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int maxFrameBytes;
  private final int maxImageWidth;
  private final int maxImageHeight;
  private final int targetWidth;
  private final int targetHeight;
  private final int maxStreamIdBytes;
  private final Duration maxFutureSkew;
  private final String fileUriRoot;

  private ValidationOptions(Builder builder) {
    this.maxFrameBytes = builder.maxFrameBytes;
    this.maxImageWidth = builder.maxImageWidth;
    this.maxImageHeight = builder.maxImageHeight;
    this.targetWidth = builder.targetWidth;
    this.targetHeight = builder.targetHeight;
    this.maxStreamIdBytes = builder.maxStreamIdBytes;
    this.maxFutureSkew = builder.maxFutureSkew;
    this.fileUriRoot = builder.fileUriRoot;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ValidationOptions defaults() {
    return builder().build();
  }

  /** Largest Kafka message value, and largest image file behind a URI. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Largest width, declared or in the image header: refused before any pixel is decoded. */
  public int maxImageWidth() {
    return maxImageWidth;
  }

  public int maxImageHeight() {
    return maxImageHeight;
  }

  /** Width of the RGB pixels handed to the model. */
  public int targetWidth() {
    return targetWidth;
  }

  public int targetHeight() {
    return targetHeight;
  }

  /** Longest stream id, in UTF-8 bytes. */
  public int maxStreamIdBytes() {
    return maxStreamIdBytes;
  }

  /** How far a capture time may lie ahead of the job's clock (camera clocks drift). */
  public Duration maxFutureSkew() {
    return maxFutureSkew;
  }

  /** The directory file: URIs must point into; empty when file: URIs are refused. */
  public Optional<Path> fileUriRoot() {
    return Optional.ofNullable(fileUriRoot).map(Path::of);
  }

  /** Builds {@link ValidationOptions}; {@link #build()} names the first bad setting. */
  public static final class Builder {
    private int maxFrameBytes = 8 * 1024 * 1024;
    private int maxImageWidth = 4096;
    private int maxImageHeight = 4096;
    private int targetWidth = 64;
    private int targetHeight = 64;
    private int maxStreamIdBytes = 256;
    private Duration maxFutureSkew = Duration.ofMinutes(5);
    private String fileUriRoot;

    private Builder() {}

    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    public Builder maxImageSize(int width, int height) {
      this.maxImageWidth = width;
      this.maxImageHeight = height;
      return this;
    }

    public Builder targetSize(int width, int height) {
      this.targetWidth = width;
      this.targetHeight = height;
      return this;
    }

    public Builder maxStreamIdBytes(int bytes) {
      this.maxStreamIdBytes = bytes;
      return this;
    }

    public Builder maxFutureSkew(Duration skew) {
      this.maxFutureSkew = skew;
      return this;
    }

    /** Allows file: URIs that resolve (symbolic links followed) inside this absolute directory. */
    public Builder fileUriRoot(Path root) {
      this.fileUriRoot = root == null ? null : root.toString();
      return this;
    }

    public ValidationOptions build() {
      positive("maxFrameBytes", maxFrameBytes);
      positive("maxImageSize width", maxImageWidth);
      positive("maxImageSize height", maxImageHeight);
      positive("targetSize width", targetWidth);
      positive("targetSize height", targetHeight);
      positive("maxStreamIdBytes", maxStreamIdBytes);
      if (maxFrameBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxFrameBytes is " + maxFrameBytes
            + ": a frame must fit in one Java array; use at most " + (Integer.MAX_VALUE - 8));
      }
      if ((long) maxImageWidth * maxImageHeight > 100_000_000L) {
        throw new IllegalArgumentException("maxImageSize is " + maxImageWidth + "x" + maxImageHeight
            + ": more than 100 megapixels per frame would let one frame exhaust the heap");
      }
      if (targetWidth > maxImageWidth || targetHeight > maxImageHeight) {
        throw new IllegalArgumentException("targetSize " + targetWidth + "x" + targetHeight
            + " exceeds maxImageSize " + maxImageWidth + "x" + maxImageHeight
            + ": the model's input cannot be larger than the largest accepted frame");
      }
      if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
        throw new IllegalArgumentException("maxFutureSkew is " + maxFutureSkew
            + ": give a duration of zero or more");
      }
      if (fileUriRoot != null && !Path.of(fileUriRoot).isAbsolute()) {
        throw new IllegalArgumentException("fileUriRoot is " + fileUriRoot
            + ": give an absolute directory so the allowed files do not depend on the working directory");
      }
      return new ValidationOptions(this);
    }

    private static void positive(String setting, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(setting + " is " + value + ": it must be at least 1");
      }
    }
  }
}
