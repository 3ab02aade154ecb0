package casastream.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.CasaModel;
import casastream.model.baseline.InsertionDecoder;
import casastream.model.decode.FrameText;
import casastream.model.nn.InsertionCache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One stream walked frame by frame through the token-insertion baseline (same weights, every
 * frame's image tokens and text kept in the attention cache), recording the cache's bytes and the
 * frame's time after every frame. The cache grows without bound, so the walk stops at a frame limit
 * or a time budget, whichever comes first; later figures are extrapolated by the caller, and say so.
 */
final class InsertionWalk {

  /**
   * Per frame f (index f - 1): cache bytes after it, its time (vision included) and the greedy
   * decoding steps its texts took.
   */
  record Trace(List<Long> bytes, List<Double> millis, List<Integer> tokens, double budgetSeconds, int frameLimit) {

    int reached() {
      return bytes.size();
    }

    /** Cache growth per frame over the second half of the walk (the image tokens and text of one frame). */
    double bytesPerFrame() {
      int last = reached();
      int half = Math.max(1, last / 2);
      return last <= half ? bytes.get(0) : (double) (bytes.get(last - 1) - bytes.get(half - 1)) / (last - half);
    }
  }

  /** Frames past the last timed mark: latency takes the median of frames m..m+4. */
  static final int TIME_WINDOW = 5;
  private static final long SEED = 41;

  private InsertionWalk() {}

  /**
   * The run's walk, taken once and shared by the memory and latency benchmarks: to frame 1,004
   * within 50 minutes, the budget the preallocated cache needs here (quick: frame 104 within 1 minute).
   */
  static Trace of(BenchContext context) {
    return context.shared("insertion-walk", () -> {
      int limit = (context.quick() ? 100 : 1_000) + TIME_WINDOW - 1;
      double budget = context.quick() ? 60 : 3_000;
      try (CasaModel model = context.model().open()) {
        return walk(model, SEED, limit, budget,
            frame -> context.progress("  insertion baseline: stream at frame %,d", frame));
      }
    });
  }

  static Trace walk(CasaModel model, long seed, int frameLimit, double budgetSeconds,
                    IntConsumer progress) {
    InsertionDecoder decoder = new InsertionDecoder(model);
    WorldStreams world = new WorldStreams(model.config(), 1, seed);
    List<Long> bytes = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    GeneratedTokens generated = new GeneratedTokens(model.tokenizer(), model.config());
    long deadline = System.nanoTime() + (long) (budgetSeconds * 1e9);
    try (NDManager scope = model.manager().newSubManager();
         InsertionCache cache = decoder.open(scope, 1, frameLimit)) {
      for (int frame = 1; frame <= frameLimit && System.nanoTime() < deadline; frame++) {
        byte[] rgb = world.next(0);
        long start = System.nanoTime();
        FrameText text;
        try (NDManager step = scope.newSubManager()) {
          NDArray images = model.vision().forward(model.vision().pixels(step, List.of(rgb))); // (1,P,D)
          text = decoder.step(step, cache, images).get(0);
        }
        millis.add(Timing.millisSince(start));
        tokens.add(generated.of(text.caption(), text.events()));
        bytes.add(cache.bytes());
        if (frame == 1 || frame % 100 == 0) {
          progress.accept(frame);
        }
      }
    }
    return new Trace(bytes, millis, tokens, budgetSeconds, frameLimit);
  }
}
