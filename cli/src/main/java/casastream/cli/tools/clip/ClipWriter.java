package casastream.cli.tools.clip;

import casastream.cli.tools.ToolException;
import casastream.cli.tools.frames.FrameImages;
import casastream.operators.validation.FrameRejection;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes a clip's frames into a folder: one PNG per frame ({@code frame-0001.png}, ... in stream
 * order, at the frame's size up to {@link #MAX_SIDE}) and one MP4 ({@code clip.mp4}, MPEG-4 through
 * the FFmpeg binding, at the frames' own pace; small frames are scaled up by whole pixels so the
 * video can be watched). A record the job would refuse is skipped and counted.
 */
public final class ClipWriter {

  /** The longest side a clip's pictures keep; larger frames are scaled down. */
  public static final int MAX_SIDE = 1920;
  public static final String VIDEO = "clip.mp4";
  /** Frames smaller than this on their longer side are scaled up by a whole factor in the video. */
  private static final int VIDEO_MIN_SIDE = 256;
  private static final double DEFAULT_FPS = 2;

  /** What was written. */
  public record Result(List<Path> pictures, Path video, double fps, List<FrameImages.Picture> frames, int skipped,
      String firstSkipReason) {}

  private final FrameImages images = new FrameImages(MAX_SIDE);

  /** @param progress stepped once per frame; may be null */
  public Result write(List<ConsumerRecord<byte[], byte[]>> records, Path dir, ProgressBar progress) throws IOException {
    Files.createDirectories(dir);
    List<FrameImages.Picture> frames = new ArrayList<>();
    int skipped = 0;
    String firstSkipReason = null;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        frames.add(images.decode(record));
      } catch (FrameRejection e) {
        skipped++;
        firstSkipReason = firstSkipReason != null ? firstSkipReason
            : "offset " + record.offset() + ": " + e.reason() + ", " + e.detail();
      }
    }
    if (frames.isEmpty()) {
      throw new ToolException("None of the " + records.size() + " frame records could be decoded"
          + (firstSkipReason == null ? "" : " (" + firstSkipReason + ")"));
    }
    double fps = fps(frames);
    List<Path> pictures = new ArrayList<>();
    Path video = dir.resolve(VIDEO);
    BufferedImage first = frames.get(0).image();
    int scale = Math.max(1, VIDEO_MIN_SIDE / Math.max(first.getWidth(), first.getHeight()));
    int width = first.getWidth() * scale;
    int height = first.getHeight() * scale;
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(video.toFile(), width, height);
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(fps);
      recorder.setVideoQuality(2);
      recorder.start();
      BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
      for (int i = 0; i < frames.size(); i++) {
        BufferedImage image = frames.get(i).image();
        Path picture = dir.resolve(String.format("frame-%04d.png", i + 1));
        Files.write(picture, FrameImages.png(image));
        pictures.add(picture);
        draw(image, canvas);
        recorder.record(converter.convert(canvas));
        if (progress != null) {
          progress.step();
        }
      }
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new ToolException("Could not write " + video + ": " + e.getMessage(), e);
    }
    return new Result(pictures, video, fps, frames, skipped, firstSkipReason);
  }

  /** The frames' own pace, from their capture times: frames per second, within 0.5..30. */
  static double fps(List<FrameImages.Picture> frames) {
    if (frames.size() < 2) {
      return DEFAULT_FPS;
    }
    long span = frames.get(frames.size() - 1).captureMillis() - frames.get(0).captureMillis();
    if (span <= 0) {
      return DEFAULT_FPS;
    }
    double fps = (frames.size() - 1) * 1000.0 / span;
    return Math.max(0.5, Math.min(30, Math.round(fps * 100) / 100.0));
  }

  /** Scales the picture onto the video's canvas, by whole pixels when it grows. */
  private static void draw(BufferedImage image, BufferedImage canvas) {
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(image, 0, 0, canvas.getWidth(), canvas.getHeight(), null);
    g.dispose();
  }
}
