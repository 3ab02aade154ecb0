package casastream.operators.inference;

import casastream.operators.runtime.ComputeDevice;
import casastream.operators.runtime.SharedModels;
import casastream.schemas.TextEventKind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The inference operator's metrics, registered in Flink's metric system (dashboard, REST and the
 * Prometheus reporter). Drops and memory resets are one counter per reason, as the label
 * {@code reason}; events out one counter per kind, as the label {@code kind}.
 */
public final class InferenceMetrics {

  /** Why a frame was not run through the model. */
  public enum DropReason {
    /** Older than the maximum frame age on arrival (dropped before its stream is read) or when its batch ran. */
    STALE,
    /** Over the stream's maximum frame rate. */
    OVER_RATE,
    /** Pixels not of the model's image size (frames resized for another model). */
    WRONG_SIZE;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Why a stream's memory was started afresh although the stream had state: its history is lost,
   * but the stream and every other stream carry on.
   */
  public enum MemoryResetReason {
    /** The keyed-state value could not be decoded (another state format, or corrupt bytes). */
    UNREADABLE_STATE,
    /** The memory was written by other weights (the job was restarted with another model). */
    MODEL_CHANGED,
    /** The model refused the memory bytes (another memory version or model config). */
    MEMORY_FORMAT;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final int HISTOGRAM_WINDOW = 1024;

  final Counter framesIn;
  final Counter lateFrames;
  final Counter queriesRejected;
  final Histogram batchSize;
  final Histogram inferenceLatencyMillis;
  final Histogram stateBytesPerStream;
  /**
   * CPU time of the calling thread inside the model's batched step, in microseconds: with one
   * intra-op thread (the deployed configuration) all of the model's CPU; beside the JVM's CPU it
   * tells how much of a TaskManager goes to the model and how much to the job around it.
   */
  final Counter inferenceCpuMicros;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Map<MemoryResetReason, Counter> memoryResets = new EnumMap<>(MemoryResetReason.class);
  private final Map<TextEventKind, Counter> eventsOut = new EnumMap<>(TextEventKind.class);
  private long activeStreams;

  /**
   * @param textsDecoded the shared model's count of captions and events texts decoded (per TaskManager)
   * @param draftsTaken  of those, the ones taken whole from a confirmed draft
   */
  public InferenceMetrics(MetricGroup group, ComputeDevice device, IntSupplier pendingFrames, LongSupplier textsDecoded,
                          LongSupplier draftsTaken) {
    framesIn = group.counter("framesIn");
    lateFrames = group.counter("lateFrames");
    queriesRejected = group.counter("queriesRejected");
    batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceLatencyMillis =
        group.histogram("inferenceLatencyMillis", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    stateBytesPerStream =
        group.histogram("stateBytesPerStream", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceCpuMicros = group.counter("inferenceCpuMicros");
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, group.addGroup("reason", reason.label()).counter("framesDropped"));
    }
    for (MemoryResetReason reason : MemoryResetReason.values()) {
      memoryResets.put(reason, group.addGroup("reason", reason.label()).counter("memoryResets"));
    }
    for (TextEventKind kind : TextEventKind.values()) {
      if (kind != TextEventKind.UNKNOWN) {
        eventsOut.put(kind, group.addGroup("kind", kind.name()).counter("eventsOut"));
      }
    }
    group.gauge("activeStreams", (Gauge<Long>) () -> activeStreams);
    group.gauge("pendingFrames", (Gauge<Integer>) pendingFrames::getAsInt);
    // Prometheus exports numeric gauges only: the index carries the choice there, the name on the dashboard.
    group.gauge("deviceGpuIndex", (Gauge<Integer>) device::gpuIndex);
    // Per TaskManager JVM, whichever subtask reports it: one model serves every slot of the process.
    group.gauge("modelsLoaded", (Gauge<Integer>) SharedModels::loadedCount);
    group.gauge("modelLoads", (Gauge<Long>) SharedModels::loadCount);
    group.gauge("device", (Gauge<String>) device::toString);
    // Per TaskManager JVM as well (the model is shared): their ratio is how often a stream's last text was its next.
    group.gauge("textsDecoded", (Gauge<Long>) textsDecoded::getAsLong);
    group.gauge("draftsTaken", (Gauge<Long>) draftsTaken::getAsLong);
  }

  public void dropped(DropReason reason) {
    dropped.get(reason).inc();
  }

  public long droppedCount(DropReason reason) {
    return dropped.get(reason).getCount();
  }

  public void memoryReset(MemoryResetReason reason) {
    memoryResets.get(reason).inc();
  }

  public long memoryResetCount(MemoryResetReason reason) {
    return memoryResets.get(reason).getCount();
  }

  public void eventOut(TextEventKind kind) {
    eventsOut.get(kind).inc();
  }

  public void streamStarted() {
    activeStreams++;
  }

  public void streamCleared() {
    activeStreams--;
  }

  public void activeStreams(long count) {
    activeStreams = count;
  }

  public long activeStreams() {
    return activeStreams;
  }

  public long framesIn() {
    return framesIn.getCount();
  }

  public long inferenceCpuMicros() {
    return inferenceCpuMicros.getCount();
  }

  public long lateFrames() {
    return lateFrames.getCount();
  }
}
