package casastream.jobs.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Real video files, made by the ffmpeg command (the Debian package that .ci/run installs). */
public final class TestVideos {

  private TestVideos() {}

  /** A 160x120, 10 fps H.264 test pattern of the given length. */
  public static Path testPattern(Path dir, String name, int seconds) throws IOException, InterruptedException {
    Path file = dir.resolve(name);
    ProcessBuilder ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", String.valueOf(seconds),
        "-pix_fmt", "yuv420p", file.toString()).redirectErrorStream(true);
    Process process;
    try {
      process = ffmpeg.start();
    } catch (IOException e) {
      throw new IllegalStateException("The ffmpeg command is missing: install it (apt-get install ffmpeg;"
          + " .ci/run does) to run the video tests", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg could not make the test video: " + output);
    }
    return file;
  }
}
