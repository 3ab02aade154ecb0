package casastream.cli.tools;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Real video files, written through the FFmpeg binding that {@code produce} reads them with
 * (JavaCV's recorder, from Maven), so the video tests need no ffmpeg program.
 */
public final class TestVideos {

  private static final int WIDTH = 160;
  private static final int HEIGHT = 120;
  private static final int FPS = 10;

  private TestVideos() {}

  /**
   * A 160x120, 10 fps MPEG-4 test pattern of the given length: colour bars with a white square
   * that moves one step per picture, so that consecutive pictures differ.
   */
  public static Path testPattern(Path dir, String name, int seconds) throws IOException {
    Path file = dir.resolve(name);
    Color[] bars = {Color.WHITE, Color.YELLOW, Color.CYAN, Color.GREEN, Color.MAGENTA, Color.RED, Color.BLUE, Color.BLACK};
    BufferedImage picture = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT);
         Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat("mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(FPS);
      recorder.setVideoQuality(2);
      recorder.start();
      for (int i = 0; i < seconds * FPS; i++) {
        Graphics2D g = picture.createGraphics();
        for (int b = 0; b < bars.length; b++) {
          g.setColor(bars[b]);
          g.fillRect(b * WIDTH / bars.length, 0, WIDTH / bars.length + 1, HEIGHT);
        }
        g.setColor(Color.WHITE);
        g.fillRect((i * 4) % (WIDTH - 20), HEIGHT / 2 - 10, 20, 20);
        g.dispose();
        recorder.record(converter.convert(picture));
      }
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("the test video " + file + " could not be written: " + e.getMessage(), e);
    }
    return file;
  }
}
