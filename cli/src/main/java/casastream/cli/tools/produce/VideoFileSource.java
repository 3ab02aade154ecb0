package casastream.cli.tools.produce;

import casastream.cli.tools.ToolException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The pictures of a video file (any container and codec FFmpeg reads: mp4, mkv, avi ...), decoded
 * with FFmpeg through JavaCV and sampled at a target rate by their presentation times; pictures
 * that are not kept are never converted.
 */
public final class VideoFileSource implements FrameSource {

  static {
    // FFmpeg's own chatter would bury the progress bar: keep its errors only.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private final Path file;
  private final FFmpegFrameGrabber grabber;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final FpsSampler sampler;
  private final long expectedImages;
  private boolean closed;

  /** @param fps the rate pictures are kept at (a source slower than that keeps every picture) */
  public VideoFileSource(Path file, double fps) {
    if (!Files.isRegularFile(file)) {
      throw new ToolException("Video file " + file + " does not exist: give the path of a video file");
    }
    this.file = file;
    this.sampler = new FpsSampler(fps);
    this.grabber = new FFmpegFrameGrabber(file.toFile());
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly();
      throw new ToolException("Cannot decode video " + file + " (" + e.getMessage()
          + "): check that it is a video file that ffmpeg plays", e);
    }
    long durationMicros = grabber.getLengthInTime();
    this.expectedImages = durationMicros > 0 ? (long) Math.ceil(durationMicros / 1e6 * fps) : -1;
  }

  @Override
  public Optional<SourceImage> next() {
    try {
      Frame frame;
      long mediaMillis;
      do {
        frame = grabber.grabImage();
        if (frame == null) {
          return Optional.empty();
        }
        mediaMillis = Math.max(0, grabber.getTimestamp() / 1000);
      } while (!sampler.keep(mediaMillis));
      // The converter reuses its image for the next picture: hand out a copy.
      BufferedImage image = Java2DFrameConverter.cloneBufferedImage(converter.convert(frame));
      return Optional.of(new SourceImage(image, mediaMillis));
    } catch (FrameGrabber.Exception e) {
      throw new ToolException("Video " + file + " stopped decoding: " + e.getMessage(), e);
    }
  }

  /** An estimate of the pictures kept, from the container's duration and the sampling rate. */
  @Override
  public long expectedImages() {
    return expectedImages;
  }

  @Override
  public String describe() {
    return "video " + file;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly();
    converter.close();
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception | RuntimeException ignored) {
      // Nothing left to do with a grabber that fails to close.
    }
  }
}
