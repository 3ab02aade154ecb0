package casastream.operators.inference;

import casastream.operators.runtime.ComputeDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for the CASA model, for tests of the operator's own logic (batching,
 * order, state, timers, queries). Its memory is the list of frame markers it has seen, so a
 * caption shows exactly which frames reached the stream's memory, in which order.
 * Tests of the real model's wiring use the CASA model itself.
 */
final class HistoryFrameModel implements FrameModel {

  /** What a model under a given key did: how many times it was loaded and closed, and its batches. */
  static final class Record {
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    /** CPU time each step spends, busy, before it answers (a model's arithmetic); zero by default. */
    volatile long busyNanosPerStep;
  }

  private static final Map<String, Record> RECORDS = new ConcurrentHashMap<>();

  private final Record record;
  private final String modelId;

  private HistoryFrameModel(Record record, String modelId) {
    this.record = record;
    this.modelId = modelId;
  }

  static Record record(String key) {
    return RECORDS.computeIfAbsent(key, k -> new Record());
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ComputeDevice device() {
    return ComputeDevice.CPU;
  }

  @Override
  public int imageSize() {
    return 2;
  }

  @Override
  public List<StreamResult> step(List<StreamRequest> requests) {
    record.batchSizes.add(requests.size());
    busy(record.busyNanosPerStep);
    List<StreamResult> results = new ArrayList<>();
    for (StreamRequest request : requests) {
      byte[] old = request.memory() == null ? new byte[0] : request.memory();
      byte[] memory = new byte[old.length + 1];
      System.arraycopy(old, 0, memory, 0, old.length);
      memory[old.length] = request.rgb()[0];
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < request.questions().size(); i++) {
        answers.add(request.rgb()[1] % 2 == 0 ? "yes" : "no");
      }
      results.add(new StreamResult(caption(memory), List.of(), answers, memory));
    }
    return results;
  }

  /** Spins until this thread has used {@code nanos} of CPU. */
  private static void busy(long nanos) {
    if (nanos <= 0) {
      return;
    }
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + nanos;
    long sink = 0;
    while (threads.getCurrentThreadCpuTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        sink += i * 31L ^ sink;
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
  }

  /** "seen 0 1 2": the markers in the stream's memory. */
  static String caption(byte[] memory) {
    StringBuilder text = new StringBuilder("seen");
    for (byte marker : memory) {
      text.append(' ').append(marker);
    }
    return text.toString();
  }

  @Override
  public void close() {
    record.closes.incrementAndGet();
  }

  /** Loads a {@link HistoryFrameModel} recorded under its key. */
  static final class Factory implements FrameModelFactory {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String modelId;

    Factory(String key) {
      this(key, "history-v1");
    }

    /** A model under {@code key} whose weights are identified as {@code modelId}. */
    Factory(String key, String modelId) {
      this.key = key;
      this.modelId = modelId;
    }

    @Override
    public String modelKey() {
      return key;
    }

    @Override
    public int engineGpuCount() {
      return 0;
    }

    @Override
    public int imageSize() {
      return 2;
    }

    @Override
    public FrameModel load(ComputeDevice device) {
      Record record = record(key);
      record.loads.incrementAndGet();
      return new HistoryFrameModel(record, modelId);
    }
  }
}
