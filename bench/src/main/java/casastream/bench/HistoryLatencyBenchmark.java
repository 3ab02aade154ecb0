package casastream.bench;

import casastream.operators.inference.FrameModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue benchmark 2: time per frame of one stream at frames 1, 100 and 1,000 of its history, CASA
 * against token insertion. CASA attends to a fixed number of memory slots, so its frame 1,000
 * should cost what frame 1 costs.
 */
public final class HistoryLatencyBenchmark implements Benchmark {

  static final List<Long> FULL_FRAMES = List.of(1L, 100L, 1_000L);
  static final List<Long> QUICK_FRAMES = List.of(1L, 100L);
  private static final long SEED = 13;
  /** Frames timed per mark and stream: what a frame costs depends on how long its texts are. */
  private static final int WINDOW = 8;
  /**
   * Streams walked, each timed at every mark: one stream's frames at a mark may all show an empty
   * scene (2 tokens to decode) or a busy one (30), so each mark takes the median over many scenes.
   */
  private static final int STREAMS = 8;

  @Override
  public String name() {
    return "latency-vs-history";
  }

  @Override
  public String description() {
    return "time per frame at frames 1, 100, 1,000 of a stream: CASA vs token insertion";
  }

  @Override
  public BenchResult run(BenchContext context) {
    List<Long> marks = context.quick() ? QUICK_FRAMES : FULL_FRAMES;
    int repeats = context.quick() ? 3 : 5;
    int window = context.quick() ? 4 : WINDOW;
    List<Long> timedFrames = new ArrayList<>();
    for (long mark : marks) {
      for (int i = 0; i < window; i++) {
        timedFrames.add(mark + i);
      }
    }
    int streams = context.quick() ? 2 : STREAMS;
    List<HistoryWalk.Point> walked = new ArrayList<>();
    try (FrameModel model = context.model().openFrameModel()) {
      // a few untimed frames first: the first calls into the engine pay for its start-up
      HistoryWalk.walk(model, model.imageSize(), SEED - 1, List.of(5L), List.of(), 1, 600, frame -> { });
      for (int stream = 0; stream < streams; stream++) {
        int number = stream + 1;
        walked.addAll(HistoryWalk.walk(model, model.imageSize(), SEED + stream, List.of(), timedFrames, repeats,
            3_600, frame -> {
              if (frame == marks.get(marks.size() - 1)) {
                context.progress("  latency-vs-history: CASA stream %d of %d at frame %,d", number, streams, frame);
              }
            }));
      }
    }
    List<HistoryWalk.Point> points = new ArrayList<>();
    for (long mark : marks) {
      double[] medians = walked.stream().filter(p -> p.frame() >= mark && p.frame() < mark + window)
          .mapToDouble(HistoryWalk.Point::medianMillis).toArray();
      points.add(new HistoryWalk.Point(mark, 0, medians.length == 0 ? null : Timing.median(medians)));
    }
    InsertionWalk.Trace trace = InsertionWalk.of(context);
    List<Double> casa = new ArrayList<>();
    List<Double> insertion = new ArrayList<>();
    for (HistoryWalk.Point point : points) {
      casa.add(point.medianMillis());
      int from = (int) point.frame();
      int to = from + InsertionWalk.TIME_WINDOW - 1;
      insertion.add(to <= trace.reached()
          ? Timing.median(trace.millis().subList(from - 1, to).stream().mapToDouble(Double::doubleValue).toArray())
          : null);
    }
    double ratio = casa.get(casa.size() - 1) / casa.get(0);
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("stream_seeds", SEED + "-" + (SEED + streams - 1))
        .parameter("repeats_per_frame", repeats)
        .parameter("frames_per_mark", window)
        .parameter("streams", streams)
        .parameter("batch", 1)
        .series("frames", marks)
        .series("casa_ms", casa)
        .series("insertion_ms", insertion)
        .figure("casa_last_over_first", ratio);
    result.row("frame", "CASA ms/frame (median)", "insertion ms/frame (median)");
    for (int i = 0; i < marks.size(); i++) {
      result.row(marks.get(i), casa.get(i), insertion.get(i));
    }
    long lastMark = marks.get(marks.size() - 1);
    String measured = String.format("frame %,d / frame 1 = %.3f", lastMark, ratio);
    result.target(lastMark >= 1_000
        ? Target.of("CASA at frame 1,000 within 10% of frame 1", measured, Math.abs(ratio - 1) <= 0.10)
        : Target.undecided("CASA at frame 1,000 within 10% of frame 1", measured + " (quick run stops before frame 1,000)"));
    Double insertionLast = insertion.get(insertion.size() - 1);
    if (insertionLast != null) {
      double growth = insertionLast / insertion.get(0);
      result.figure("insertion_last_over_first", growth);
      result.target(Target.of("insertion time grows with history (for contrast)",
          String.format("frame %,d / frame 1 = %.2f", lastMark, growth), growth > 1.10));
    } else {
      result.target(Target.undecided("insertion time grows with history (for contrast)", String.format(
          "the baseline reached frame %,d within its %.0f s budget", trace.reached(), trace.budgetSeconds())));
    }
    result.note("Insertion times are single passes (its cache changes every frame, so a frame cannot be"
        + " repeated): the figure at frame m is the median of frames m..m+" + (InsertionWalk.TIME_WINDOW - 1) + ".");
    result.note("CASA at mark m: frames m..m+" + (window - 1) + " of " + streams + " streams, each the step from the"
        + " memory after the frame before; after each stream's walk its frames are re-run round-robin " + repeats
        + " times, so all marks are timed under the same load; the figure is the median over those frames of each"
        + " frame's median.");
    return result;
  }
}
