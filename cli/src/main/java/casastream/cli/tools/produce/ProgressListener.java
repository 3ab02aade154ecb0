package casastream.cli.tools.produce;

import casastream.cli.tools.ProgressBars;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;

/**
 * Shows a produce run as a progress bar on stderr (frames sent of those expected, when the inputs
 * say how many) and prints each refused picture's reason once per stream.
 */
public final class ProgressListener implements ProduceRun.Listener, AutoCloseable {

  private final ProgressBar bar;
  private final PrintWriter err;
  private final Set<String> refusedStreams = new HashSet<>();
  private long refused;

  /** @param quiet no bar: refusals are still reported */
  public ProgressListener(List<ProduceRun.StreamInput> inputs, boolean quiet, PrintWriter err) {
    this.err = err;
    long expected = 0;
    for (ProduceRun.StreamInput input : inputs) {
      long images = input.source().expectedImages();
      expected = images < 0 || expected < 0 ? -1 : expected + images;
    }
    this.bar = quiet ? null : ProgressBars.onStderr("frames", expected);
  }

  @Override
  public void sent(String streamId, long sequence, int messageBytes) {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public synchronized void refused(String streamId, long sequence, String why) {
    refused++;
    if (bar != null) {
      bar.setExtraMessage(refused + " refused");
    }
    if (refusedStreams.add(streamId)) {
      err.println("casa-stream produce: refused frame " + sequence + " of " + streamId + ": " + why
          + " (further refusals of this stream are only counted)");
      err.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
