package casastream.bench;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.ToIntFunction;

/**
 * One stream walked frame by frame through the job's inference path, as deep as asked. At chosen
 * frames it records the size of the stream's memory; for frames to be timed it keeps the memory
 * before the frame and the frame itself. The step is a pure function of memory and frame, so once
 * the walk is done the timed frames are re-run round-robin, each {@code repeats} times, and reduced
 * to their medians: frame 1 and frame 1,000 are then timed side by side, under the same load.
 */
final class HistoryWalk {

  /**
   * What was seen at frame {@code frame} (1-based): memory bytes after it, its median time, and the
   * greedy decoding steps its texts took (0 where not counted).
   */
  record Point(long frame, long memoryBytes, Double medianMillis, int tokens) {

    /** Median time per generated token, or null where the frame was not timed. */
    Double millisPerToken() {
      return medianMillis == null || tokens == 0 ? null : medianMillis / tokens;
    }
  }

  private HistoryWalk() {}

  /**
   * @param byteMarks   frames after which to record the memory size
   * @param timeMarks   frames to time
   * @param repeats     timed repetitions of each timed frame
   * @param budgetSeconds the walk stops after this long; marks it did not reach are left out
   * @param progress    called with each frame number reached at a mark
   */
  static List<Point> walk(FrameModel model, int imageSize, long seed, List<Long> byteMarks, List<Long> timeMarks,
                          int repeats, double budgetSeconds, LongConsumer progress) {
    return walk(model, imageSize, seed, byteMarks, timeMarks, repeats, budgetSeconds, progress, result -> 0);
  }

  /** As above, also counting each timed frame's generated tokens with {@code tokens}. */
  static List<Point> walk(FrameModel model, int imageSize, long seed, List<Long> byteMarks, List<Long> timeMarks,
                          int repeats, double budgetSeconds, LongConsumer progress,
                          ToIntFunction<StreamResult> tokens) {
    long last = 0;
    for (long mark : byteMarks) {
      last = Math.max(last, mark);
    }
    for (long mark : timeMarks) {
      last = Math.max(last, mark);
    }
    WorldStreams world = new WorldStreams(imageSize, 1, seed);
    Map<Long, Long> sizes = new TreeMap<>();
    Map<Long, StreamRequest> timed = new TreeMap<>();
    Map<Long, Integer> generated = new TreeMap<>();
    byte[] memory = null;
    long deadline = System.nanoTime() + (long) (budgetSeconds * 1e9);
    for (long frame = 1; frame <= last && System.nanoTime() < deadline; frame++) {
      StreamRequest request = new StreamRequest(memory, world.next(0), List.of());
      if (timeMarks.contains(frame)) {
        timed.put(frame, request);
      }
      StreamResult result = model.step(List.of(request)).get(0);
      memory = result.memory();
      if (timeMarks.contains(frame)) {
        generated.put(frame, tokens.applyAsInt(result));
      }
      if (timeMarks.contains(frame) || byteMarks.contains(frame)) {
        sizes.put(frame, (long) memory.length);
        progress.accept(frame);
      }
    }
    Map<Long, double[]> millis = new TreeMap<>();
    timed.keySet().forEach(frame -> millis.put(frame, new double[repeats]));
    for (int r = 0; r < repeats; r++) {
      for (Map.Entry<Long, StreamRequest> entry : timed.entrySet()) {
        long start = System.nanoTime();
        model.step(List.of(entry.getValue()));
        millis.get(entry.getKey())[r] = Timing.millisSince(start);
      }
    }
    List<Point> points = new ArrayList<>();
    sizes.forEach((frame, bytes) -> points.add(new Point(frame, bytes,
        millis.containsKey(frame) ? Timing.median(millis.get(frame)) : null, generated.getOrDefault(frame, 0))));
    return points;
  }
}
