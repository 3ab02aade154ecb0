package casastream.cli.embedded;

import casastream.cli.tools.produce.ProduceRun;
import casastream.schemas.TextEvent;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded run's status line: frames sent per second since the last line, events committed,
 * end-to-end latency (capture to visible to read_committed consumers) over the recent events, and
 * what the job shed: frames dropped by age or rate, late frames, dead letters (from the job's own
 * counters, see {@link JobCounters}).
 */
final class DemoStatus implements ProduceRun.Listener {

  private static final int LATENCY_WINDOW = 256;

  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong framesRefused = new AtomicLong();
  private final AtomicLong eventsCommitted = new AtomicLong();
  private final ArrayDeque<Long> latencies = new ArrayDeque<>();
  private long lastFrames;
  private long lastNanos = System.nanoTime();

  @Override
  public void sent(String streamId, long sequence, int messageBytes) {
    framesSent.incrementAndGet();
  }

  @Override
  public void refused(String streamId, long sequence, String why) {
    framesRefused.incrementAndGet();
  }

  /** A committed event was seen at {@code nowMillis}. */
  void committed(TextEvent event, long nowMillis) {
    eventsCommitted.incrementAndGet();
    synchronized (latencies) {
      if (latencies.size() == LATENCY_WINDOW) {
        latencies.removeFirst();
      }
      latencies.addLast(Math.max(0, nowMillis - event.getCaptureTime().toEpochMilli()));
    }
  }

  long framesSent() {
    return framesSent.get();
  }

  long eventsCommitted() {
    return eventsCommitted.get();
  }

  /** One line; the frame rate is over the time since the previous call. */
  synchronized String line() {
    long now = System.nanoTime();
    long frames = framesSent.get();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double fps = (frames - lastFrames) / seconds;
    lastFrames = frames;
    lastNanos = now;
    long dropped = JobCounters.sum("framesDropped");
    long late = JobCounters.sum("lateFrames");
    long deadLetters = JobCounters.sum("deadLetters");
    return String.format(Locale.ROOT,
        "status: %.1f frames/s in (%d sent), %d events committed, latency %s, dropped %d (late %d, dead letters %d)%s",
        fps, frames, eventsCommitted.get(), latency(), dropped, late, deadLetters,
        framesRefused.get() == 0 ? "" : ", " + framesRefused.get() + " refused by the cameras");
  }

  private String latency() {
    long[] sorted;
    synchronized (latencies) {
      sorted = latencies.stream().mapToLong(Long::longValue).toArray();
    }
    if (sorted.length == 0) {
      return "- (no events yet)";
    }
    Arrays.sort(sorted);
    return "p50 " + sorted[sorted.length / 2] + " ms / p95 " + sorted[(int) (sorted.length * 0.95)]
        + " ms capture->committed";
  }
}
