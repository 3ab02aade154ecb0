package casastream.operators.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames waiting for a batch step, one queue per stream.
 *
 * <p>A batch step takes the oldest waiting frame of up to {@code maxStreams} streams, so each
 * stream contributes at most one frame per step and its frames run in arrival order. Streams are
 * served round-robin: a stream that just contributed goes to the back, so a busy stream cannot
 * starve the others. Not thread-safe: the operator uses it from its task thread only.
 */
public final class PendingFrames<F> {

  /** A frame and the processing time it arrived at the operator. */
  public record Pending<F>(String streamId, F frame, long arrivalMillis) {}

  private final LinkedHashMap<String, ArrayDeque<Pending<F>>> queues = new LinkedHashMap<>();
  private int size;

  public void add(String streamId, F frame, long arrivalMillis) {
    queues.computeIfAbsent(streamId, id -> new ArrayDeque<>()).addLast(new Pending<>(streamId, frame, arrivalMillis));
    size++;
  }

  /** The newest waiting frame of the stream, or null if none waits. */
  public F newest(String streamId) {
    ArrayDeque<Pending<F>> queue = queues.get(streamId);
    return queue == null ? null : queue.peekLast().frame();
  }

  public boolean isWaiting(String streamId) {
    return queues.containsKey(streamId);
  }

  /** Frames waiting, over all streams. */
  public int size() {
    return size;
  }

  /** Streams with at least one frame waiting. */
  public int streamCount() {
    return queues.size();
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Removes and returns the next batch step: at most one frame from each of up to maxStreams streams. */
  public List<Pending<F>> nextStep(int maxStreams) {
    List<Pending<F>> step = new ArrayList<>(Math.min(maxStreams, queues.size()));
    List<Map.Entry<String, ArrayDeque<Pending<F>>>> served = new ArrayList<>();
    Iterator<Map.Entry<String, ArrayDeque<Pending<F>>>> it = queues.entrySet().iterator();
    while (it.hasNext() && step.size() < maxStreams) {
      Map.Entry<String, ArrayDeque<Pending<F>>> entry = it.next();
      step.add(entry.getValue().removeFirst());
      it.remove();
      served.add(entry);
    }
    for (Map.Entry<String, ArrayDeque<Pending<F>>> entry : served) {
      if (!entry.getValue().isEmpty()) {
        queues.put(entry.getKey(), entry.getValue());
      }
    }
    size -= step.size();
    return step;
  }
}
