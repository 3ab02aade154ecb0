package casastream.bench;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.StreamState;
import casastream.operators.inference.StreamStateCodec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue benchmark 1: one stream's memory after 1, 10, 100, 1,000 and 10,000 frames, CASA's
 * serialized stream memory (and the whole keyed-state value the job stores for the stream) against
 * the token-insertion baseline's cache, in bytes.
 */
public final class MemoryBenchmark implements Benchmark {

  static final List<Long> FULL_FRAMES = List.of(1L, 10L, 100L, 1_000L, 10_000L);
  static final List<Long> QUICK_FRAMES = List.of(1L, 10L, 100L);
  private static final long SEED = 11;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return "per-stream memory in bytes after 1..10,000 frames: CASA vs token insertion";
  }

  @Override
  public BenchResult run(BenchContext context) {
    List<Long> marks = context.quick() ? QUICK_FRAMES : FULL_FRAMES;
    List<HistoryWalk.Point> points;
    try (FrameModel model = context.model().openFrameModel(context.decoding())) {
      points = HistoryWalk.walk(model, model.imageSize(), SEED, marks, List.of(), 1, casaBudget(context),
          frame -> context.progress("  memory: CASA stream at frame %,d", frame));
    }
    InsertionWalk.Trace trace = InsertionWalk.of(context);
    List<Long> casa = new ArrayList<>();
    List<Long> state = new ArrayList<>();
    List<Long> insertion = new ArrayList<>();
    List<Boolean> extrapolated = new ArrayList<>();
    for (long frame : marks) {
      HistoryWalk.Point point = points.stream().filter(p -> p.frame() == frame).findFirst().orElse(null);
      casa.add(point == null ? null : point.memoryBytes());
      state.add(point == null ? null : keyedStateBytes(point));
      boolean measured = frame <= trace.reached();
      extrapolated.add(!measured);
      insertion.add(measured ? trace.bytes().get((int) frame - 1)
          : Math.round(trace.bytes().get(trace.reached() - 1) + (frame - trace.reached()) * trace.bytesPerFrame()));
    }
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("stream_seed", SEED)
        .parameter("quick", context.quick())
        .series("frames", marks)
        .series("casa_bytes", casa)
        .series("casa_state_bytes", state)
        .series("insertion_bytes", insertion)
        .figure("insertion_extrapolated", extrapolatedJson(extrapolated))
        .figure("insertion_frames_stepped", trace.reached())
        .figure("insertion_bytes_per_frame", trace.bytesPerFrame());
    result.row("frame", "CASA memory (B)", "CASA keyed state (B)", "insertion cache (B)", "insertion / CASA");
    for (int i = 0; i < marks.size(); i++) {
      result.row(marks.get(i), casa.get(i), state.get(i),
          insertion.get(i) + (extrapolated.get(i) ? " (extrapolated)" : ""),
          casa.get(i) == null ? null : (double) insertion.get(i) / casa.get(i));
    }
    long reached = points.get(points.size() - 1).frame();
    boolean flat = points.stream().map(HistoryWalk.Point::memoryBytes).distinct().count() == 1;
    result.target(Target.of("CASA flat: the same bytes at every frame", (flat ? "flat at " + casa.get(0) + " B"
        : "varies: " + casa) + String.format(" (stepped to frame %,d)", reached), flat));
    if (reached < marks.get(marks.size() - 1)) {
      result.note(String.format("The CASA walk stopped at frame %,d, its time budget of %.0f s; later marks are"
          + " null (not measured), not extrapolated.", reached, casaBudget(context)));
    }
    int at1000 = marks.indexOf(1_000L);
    if (at1000 >= 0 && casa.get(at1000) != null) {
      double ratio = (double) insertion.get(at1000) / casa.get(at1000);
      result.target(Target.of("baseline at least 100x CASA by frame 1,000", String.format("%.0fx%s", ratio,
          extrapolated.get(at1000) ? " (extrapolated)" : ""), ratio >= 100));
    } else {
      result.target(Target.undecided("baseline at least 100x CASA by frame 1,000", "quick run stops at frame "
          + marks.get(marks.size() - 1)));
    }
    result.note(String.format("The insertion baseline was stepped for real to frame %,d (limit %,d frames or %.0f s);"
        + " points past it are extrapolated linearly with the measured growth of %.0f B per frame.",
        trace.reached(), trace.frameLimit(), trace.budgetSeconds(), trace.bytesPerFrame()));
    result.note("insertion_bytes counts the baseline's cached keys and values (fp32, as it holds them);"
        + " casa_bytes is CASA's serialized memory (" + "its config's precision) and is what a checkpoint stores.");
    result.note("casa_bytes is the serialized StreamMemory the model returns; casa_state_bytes is the whole"
        + " RocksDB value of the stream (memory plus sequence, timestamps and last caption, no standing questions).");
    return result;
  }

  /** Seconds the CASA walk may take: 45 minutes for the full 10,000 frames on a slow machine. */
  private static double casaBudget(BenchContext context) {
    return context.quick() ? 120 : 2_700;
  }

  private static ArrayNode extrapolatedJson(List<Boolean> flags) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    flags.forEach(array::add);
    return array;
  }

  /** The operator's keyed-state value for a stream with this memory and no standing questions. */
  private static long keyedStateBytes(HistoryWalk.Point point) {
    StreamState state = StreamState.fresh("bench");
    state.recordFrame("bench", new byte[Math.toIntExact(point.memoryBytes())], point.frame() - 1, 0L, 0L);
    return StreamStateCodec.encode(state).length;
  }
}
