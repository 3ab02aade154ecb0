package casastream.operators.inference;

import casastream.operators.inference.InferenceMetrics.DropReason;
import casastream.operators.inference.InferenceMetrics.MemoryResetReason;
import casastream.operators.inference.PendingFrames.Pending;
import casastream.operators.queries.StandingQuestion;
import casastream.operators.queries.StandingQuestions;
import casastream.operators.runtime.ComputeDevice;
import casastream.operators.runtime.DeviceSelector;
import casastream.operators.runtime.ModelLease;
import casastream.operators.runtime.SharedModels;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.QueryAction;
import casastream.schemas.StandingQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The keyed CASA inference operator.
 *
 * <p>Input 1: frames keyed by stream id. Input 2: {@link StandingQuery} messages (Avro
 * single-object encoding, as on the {@code queries} topic), broadcast to every subtask and kept in
 * broadcast state. Output: the text events; frames out of order go to the late side output.
 *
 * <p>Frames of many streams wait in the operator until a batch step holds {@code maxBatchSize}
 * streams (one frame each) or the oldest has waited {@code maxWait}; then the shared model runs the
 * step in one call, in the task thread, so back-pressure is natural and the number of waiting
 * frames stays bounded. Each stream's memory and bookkeeping live in keyed state (RocksDB outside
 * tests).
 *
 * <p>Exactly once: all waiting frames are processed in {@link #prepareSnapshotPreBarrier}, before
 * the checkpoint barrier moves on, so a snapshot never holds a waiting frame. After a restore,
 * frames after the checkpoint are replayed by the source and processed once against the restored
 * memory; every frame before it was fully processed into the snapshot.
 */
public final class CasaInferenceOperator<F> extends AbstractStreamOperator<EmittedText>
    implements TwoInputStreamOperator<F, byte[], EmittedText>, Triggerable<String, VoidNamespace> {

  private static final long serialVersionUID = 1L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Broadcast state: query id to the single-object encoded {@link StandingQuery}. */
  public static final MapStateDescriptor<String, byte[]> QUERIES_STATE =
      new MapStateDescriptor<>("standing-queries", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  static final String STREAM_STATE_NAME = "stream-state";

  private final InferenceSettings settings;
  private final FrameModelFactory modelFactory;
  private final FrameView<F> view;
  private final OutputTag<F> lateFrames;

  private transient ModelLease<FrameModel> lease;
  private transient FrameModel model;
  private transient ValueState<byte[]> streamState;
  private transient BroadcastState<String, byte[]> queryState;
  private transient StandingQuestions questions;
  private transient AvroCodec<StandingQuery> queryCodec;
  private transient PendingFrames<F> pending;
  private transient InternalTimerService<VoidNamespace> idleTimers;
  private transient InferenceMetrics inferenceMetrics;
  private transient FrameAdmission admission;
  private transient EventComposer composer;
  private transient boolean flushTimerArmed;
  private transient int frameBytes;
  private transient boolean wrongSizeReported;
  private transient boolean modelChangeReported;
  /**
   * The decoded state of every stream with frames waiting, so each frame reads and decodes its
   * stream's state once: an entry exists exactly while the stream has frames in {@link #pending}.
   */
  private transient Map<String, LoadedState> loadedStates;

  /**
   * @param lateFrames where frames that arrive out of order go
   */
  public CasaInferenceOperator(
      InferenceSettings settings, FrameModelFactory modelFactory, FrameView<F> view, OutputTag<F> lateFrames) {
    this.settings = settings;
    this.modelFactory = modelFactory;
    this.view = view;
    this.lateFrames = lateFrames;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    queryCodec = AvroCodec.standingQueries();
    questions = new StandingQuestions();
    queryState = context.getOperatorStateStore().getBroadcastState(QUERIES_STATE);
    for (Map.Entry<String, byte[]> entry : queryState.entries()) {
      questions.put(StandingQuestion.fromAvro(queryCodec.decode(entry.getValue())));
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    ComputeDevice device =
        DeviceSelector.choose(
            getRuntimeContext().getExternalResourceInfos(DeviceSelector.GPU_RESOURCE),
            modelFactory.engineGpuCount(),
            subtask);
    lease = SharedModels.acquire(
        modelFactory.modelKey() + "@" + device, () -> modelFactory.load(device), settings.modelLinger());
    model = lease.model();
    streamState = getPartitionedState(
        new ValueStateDescriptor<>(STREAM_STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    idleTimers = getInternalTimerService("idle-streams", VoidNamespaceSerializer.INSTANCE, this);
    pending = new PendingFrames<>();
    loadedStates = new HashMap<>();
    admission = new FrameAdmission(settings.maxFramesPerSecond());
    composer = new EventComposer(settings.captionPolicy(), model.modelId());
    frameBytes = model.imageSize() * model.imageSize() * 3;
    inferenceMetrics = new InferenceMetrics(getMetricGroup(), model.device(), () -> pending.size(),
        model::textsDecoded, model::draftsTaken);
    try (var keys = getKeyedStateBackend().getKeys(STREAM_STATE_NAME, VoidNamespace.INSTANCE)) {
      inferenceMetrics.activeStreams(keys.count());
    }
    LOG.info("CASA inference subtask {} on {} with model {} ({}); {}",
        subtask, model.device(), model.modelId(), modelFactory.modelKey(), settings);
  }

  @Override
  public void processElement1(StreamRecord<F> record) throws Exception {
    F frame = record.getValue();
    String streamId = view.streamId(frame);
    inferenceMetrics.framesIn.inc();
    if (!hasModelImageSize(frame)) {
      return;
    }
    // Stale already: dropped before its stream's state is read, so an overloaded job sheds its
    // backlog at almost no cost and spends the model on frames that are still fresh.
    long now = now();
    if (isStale(frame, now)) {
      inferenceMetrics.dropped(DropReason.STALE);
      return;
    }
    long lastSequence = -1;
    long lastCapture = 0;
    LoadedState loaded = null;
    F newest = pending.newest(streamId);
    if (newest != null) {
      lastSequence = view.sequence(newest);
      lastCapture = view.captureTimeMillis(newest);
    } else {
      loaded = readState();
      if (loaded.state() != null) {
        lastSequence = loaded.state().lastSequence();
        lastCapture = loaded.state().lastCaptureMillis();
      }
    }
    switch (admission.decide(view.sequence(frame), view.captureTimeMillis(frame), lastSequence, lastCapture)) {
      case LATE -> {
        inferenceMetrics.lateFrames.inc();
        output.collect(lateFrames, record);
      }
      case OVER_RATE -> inferenceMetrics.dropped(DropReason.OVER_RATE);
      case ACCEPT -> {
        if (loaded != null) {
          loadedStates.put(streamId, loaded);
        }
        pending.add(streamId, frame, now);
        armFlushTimer(now);
        while (pending.streamCount() >= settings.maxBatchSize() || pending.size() >= settings.maxPendingFrames()) {
          runStep();
        }
      }
    }
  }

  @Override
  public void processElement2(StreamRecord<byte[]> record) throws Exception {
    StandingQuery query;
    try {
      query = queryCodec.decode(record.getValue());
    } catch (DecodeException e) {
      inferenceMetrics.queriesRejected.inc();
      LOG.warn("Message on the queries input ignored: {}", e.getMessage());
      return;
    }
    if (query.getAction() == QueryAction.REMOVE) {
      queryState.remove(query.getQueryId());
      if (questions.remove(query.getQueryId())) {
        LOG.info("Standing query {} removed", query.getQueryId());
      }
      return;
    }
    StandingQuestion question;
    try {
      question = StandingQuestion.fromAvro(query);
    } catch (IllegalArgumentException e) {
      inferenceMetrics.queriesRejected.inc();
      LOG.warn("Standing query {} ignored: {}", query.getQueryId(), e.getMessage());
      return;
    }
    queryState.put(question.queryId(), queryCodec.encode(query));
    questions.put(question);
    LOG.info("Standing query {} in force: '{}'", question.queryId(), question.question());
  }

  /** Idle-stream timer: clears the stream's state if nothing arrived for the idle timeout. */
  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    String streamId = timer.getKey();
    long now = timer.getTimestamp();
    if (pending.isWaiting(streamId)) {
      idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + settings.idleTimeoutMillis());
      return;
    }
    byte[] value = streamState.value();
    if (value == null) {
      return;
    }
    long idleUntil;
    try {
      idleUntil = StreamStateCodec.decode(value).lastSeenMillis() + settings.idleTimeoutMillis();
    } catch (StreamStateCodec.UnreadableStateException e) {
      idleUntil = now;
    }
    if (idleUntil <= now) {
      streamState.clear();
      inferenceMetrics.streamCleared();
      LOG.debug("Stream {} idle since {}: state cleared", streamId, idleUntil - settings.idleTimeoutMillis());
    } else {
      idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, idleUntil);
    }
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // Idleness is measured in processing time only.
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    drainAll();
  }

  @Override
  public void finish() throws Exception {
    drainAll();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      super.close();
    } finally {
      if (lease != null) {
        lease.close();
        lease = null;
      }
    }
  }

  /** Frames waiting for a batch (for tests). */
  int pendingFrames() {
    return pending.size();
  }

  InferenceMetrics inferenceMetrics() {
    return inferenceMetrics;
  }

  /** A frame of another size would fail its whole batch; it is dropped and counted instead. */
  private boolean hasModelImageSize(F frame) {
    byte[] rgb = view.rgb(frame);
    if (rgb != null && rgb.length == frameBytes) {
      return true;
    }
    inferenceMetrics.dropped(DropReason.WRONG_SIZE);
    if (!wrongSizeReported) {
      wrongSizeReported = true;
      LOG.warn("Frame {}#{} has {} pixel bytes, the model takes {}x{} RGB ({} bytes): dropped (metric"
              + " framesDropped, reason wrong-size). Resize frames to the model's image size upstream.",
          view.streamId(frame), view.sequence(frame), rgb == null ? 0 : rgb.length,
          model.imageSize(), model.imageSize(), frameBytes);
    }
    return false;
  }

  private void armFlushTimer(long now) {
    if (!flushTimerArmed) {
      flushTimerArmed = true;
      getProcessingTimeService().registerTimer(now + settings.maxWaitMillis(), time -> onMaxWait());
    }
  }

  private void onMaxWait() throws Exception {
    flushTimerArmed = false;
    drainAll();
  }

  private void drainAll() throws Exception {
    while (!pending.isEmpty()) {
      runStep();
    }
  }

  /** One batch step: at most one frame per stream, one model call, state written back per stream. */
  private void runStep() throws Exception {
    List<Pending<F>> step = pending.nextStep(settings.maxBatchSize());
    long now = now();
    List<Slot<F>> slots = new ArrayList<>(step.size());
    List<StreamRequest> requests = new ArrayList<>(step.size());
    for (Pending<F> waiting : step) {
      String streamId = waiting.streamId();
      setCurrentKey(streamId);
      LoadedState loaded = loadedStates.remove(streamId);
      if (loaded == null) {
        throw new IllegalStateException("Stream " + streamId + " has a frame waiting but no loaded state");
      }
      if (isStale(waiting.frame(), now)) {
        inferenceMetrics.dropped(DropReason.STALE);
        if (pending.isWaiting(streamId)) {
          loadedStates.put(streamId, loaded);
        }
        continue;
      }
      StreamState state = loaded.state();
      boolean newStream = state == null;
      if (newStream) {
        state = StreamState.fresh(model.modelId());
        if (loaded.unreadable()) {
          inferenceMetrics.memoryReset(MemoryResetReason.UNREADABLE_STATE);
        }
      }
      byte[] memory = state.memoryFor(model.modelId());
      if (memory == null && state.hasMemory()) {
        inferenceMetrics.memoryReset(MemoryResetReason.MODEL_CHANGED);
        if (!modelChangeReported) {
          modelChangeReported = true;
          LOG.warn("Stream {} has memory from model {}, this job runs {}: such streams start with a fresh memory"
              + " (metric memoryResets, reason model-changed)", streamId, state.modelId(), model.modelId());
        }
      }
      List<StandingQuestion> asked = questions.forStream(streamId);
      List<String> texts = asked.stream().map(StandingQuestion::question).toList();
      requests.add(new StreamRequest(memory, view.rgb(waiting.frame()), texts));
      slots.add(new Slot<>(waiting, state, asked, newStream));
    }
    if (slots.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long cpuStart = threadCpuNanos();
    List<StreamResult> results = model.step(requests);
    inferenceMetrics.inferenceLatencyMillis.update((System.nanoTime() - start) / 1_000_000);
    if (cpuStart >= 0) {
      inferenceMetrics.inferenceCpuMicros.inc((threadCpuNanos() - cpuStart) / 1_000);
    }
    inferenceMetrics.batchSize.update(slots.size());
    if (results.size() != slots.size()) {
      throw new IllegalStateException("Model " + model.modelId() + " returned " + results.size()
          + " results for a batch of " + slots.size() + " streams");
    }
    long emitTime = now();
    for (int i = 0; i < slots.size(); i++) {
      Slot<F> slot = slots.get(i);
      StreamResult result = results.get(i);
      F frame = slot.waiting().frame();
      setCurrentKey(slot.waiting().streamId());
      slot.state().recordFrame(
          model.modelId(), result.memory(), view.sequence(frame), view.captureTimeMillis(frame), emitTime);
      List<EmittedText> events = composer.compose(
          new EventComposer.FrameInfo(slot.waiting().streamId(), view.sequence(frame),
              view.captureTimeMillis(frame), slot.waiting().arrivalMillis(),
              view.sourceTopic(frame), view.sourcePartition(frame), view.sourceOffset(frame)),
          slot.questions(), result, slot.state(), emitTime);
      if (result.memoryReset()) {
        inferenceMetrics.memoryReset(MemoryResetReason.MEMORY_FORMAT);
      }
      byte[] value = StreamStateCodec.encode(slot.state());
      streamState.update(value);
      inferenceMetrics.stateBytesPerStream.update(value.length);
      if (pending.isWaiting(slot.waiting().streamId())) {
        loadedStates.put(slot.waiting().streamId(), new LoadedState(slot.state(), false));
      }
      if (slot.newStream()) {
        idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, emitTime + settings.idleTimeoutMillis());
        inferenceMetrics.streamStarted();
      }
      for (EmittedText event : events) {
        output.collect(new StreamRecord<>(event));
        inferenceMetrics.eventOut(event.kind);
      }
    }
  }

  /** The current key's state: none for a new stream, or one whose state could not be read. */
  private LoadedState readState() throws Exception {
    byte[] value = streamState.value();
    if (value == null) {
      return new LoadedState(null, false);
    }
    try {
      return new LoadedState(StreamStateCodec.decode(value), false);
    } catch (StreamStateCodec.UnreadableStateException e) {
      LOG.warn("Stream {}: {}; starting it with fresh memory (metric memoryResets, reason unreadable-state)",
          getCurrentKey(), e.getMessage());
      return new LoadedState(null, true);
    }
  }

  /** Older than the settings' maximum frame age (capture time to now), when there is one. */
  private boolean isStale(F frame, long now) {
    return settings.maxFrameAgeMillis() > 0 && now - view.captureTimeMillis(frame) > settings.maxFrameAgeMillis();
  }

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  /** This thread's CPU time in nanoseconds, or -1 where the JVM cannot measure it. */
  private static long threadCpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** A stream's decoded state (null: none), and whether a stored value was there but unreadable. */
  private record LoadedState(StreamState state, boolean unreadable) {}

  private record Slot<F>(Pending<F> waiting, StreamState state, List<StandingQuestion> questions, boolean newStream) {}
}
