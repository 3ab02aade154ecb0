package casastream.cli.tools;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The tools' progress bars: ASCII on stderr, so stdout stays clean for what a tool prints. */
public final class ProgressBars {

  private ProgressBars() {}

  /** @param max the steps expected, or -1 when unknown */
  public static ProgressBar onStderr(String task, long max) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
        .showSpeed()
        .build();
  }
}
