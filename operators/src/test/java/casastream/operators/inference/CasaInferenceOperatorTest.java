package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import casastream.operators.inference.InferenceMetrics.MemoryResetReason;
import casastream.operators.queries.EmitPolicy;
import casastream.schemas.AllStreams;
import casastream.schemas.AvroCodec;
import casastream.schemas.AnswerMode;
import casastream.schemas.OnChange;
import casastream.schemas.QueryAction;
import casastream.schemas.StandingQuery;
import casastream.schemas.StreamIdList;
import casastream.schemas.TextEventKind;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's logic on Flink's test harness with RocksDB keyed state and the test model. */
class CasaInferenceOperatorTest {

  private static final OutputTag<TestFrame> LATE = new OutputTag<>("late-frames", TypeInformation.of(TestFrame.class));
  private static final long T0 = 1_000_000L;

  private final String modelKey = "history-" + UUID.randomUUID();
  private KeyedTwoInputStreamOperatorTestHarness<String, TestFrame, byte[], EmittedText> harness;

  @AfterEach
  void closeHarness() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static InferenceSettings.Builder settings() {
    return InferenceSettings.builder()
        .maxBatchSize(4)
        .maxWait(Duration.ofMillis(100))
        .maxFrameAge(Duration.ZERO)
        .idleTimeout(Duration.ofMinutes(10))
        .captionPolicy(EmitPolicy.everyFrame())
        .modelLinger(Duration.ZERO);
  }

  private KeyedTwoInputStreamOperatorTestHarness<String, TestFrame, byte[], EmittedText> open(
      InferenceSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
    return open(settings, restoreFrom, new HistoryFrameModel.Factory(modelKey));
  }

  private KeyedTwoInputStreamOperatorTestHarness<String, TestFrame, byte[], EmittedText> open(
      InferenceSettings settings, OperatorSubtaskState restoreFrom, FrameModelFactory factory) throws Exception {
    CasaInferenceOperator<TestFrame> operator = new CasaInferenceOperator<>(
        settings, factory, new TestFrame.View(), LATE);
    KeyedTwoInputStreamOperatorTestHarness<String, TestFrame, byte[], EmittedText> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            operator, (KeySelector<TestFrame, String>) TestFrame::streamId, null, Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setProcessingTime(T0);
    if (restoreFrom == null) {
      h.open();
    } else {
      h.initializeState(restoreFrom);
      h.open();
    }
    return h;
  }

  @SuppressWarnings("unchecked")
  private CasaInferenceOperator<TestFrame> operator() {
    return (CasaInferenceOperator<TestFrame>) harness.getOperator();
  }

  private void frame(String stream, long sequence, int answerBit) throws Exception {
    harness.processElement1(new StreamRecord<>(TestFrame.of(stream, sequence, T0 + sequence * 1000, answerBit)));
  }

  private void frame(String stream, long sequence) throws Exception {
    frame(stream, sequence, 0);
  }

  private List<EmittedText> events(TextEventKind kind) {
    return harness.extractOutputValues().stream().filter(e -> e.kind == kind).toList();
  }

  private List<String> captionsOf(String stream) {
    return events(TextEventKind.CAPTION).stream()
        .filter(e -> e.streamId.equals(stream)).map(e -> e.text).toList();
  }

  private long streamsInState() throws Exception {
    try (var keys = operator().getKeyedStateBackend()
        .getKeys(CasaInferenceOperator.STREAM_STATE_NAME, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  @Test
  void batchesOneFrameOfEachStreamIntoOneModelCallWhenTheBatchIsFull() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0);
    frame("b", 0);
    frame("c", 0);
    assertThat(HistoryFrameModel.record(modelKey).batchSizes).isEmpty();
    frame("d", 0);

    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(4);
    assertThat(events(TextEventKind.CAPTION)).extracting(e -> e.streamId)
        .containsExactlyInAnyOrder("a", "b", "c", "d");
  }

  @Test
  void runsAPartialBatchWhenTheOldestFrameHasWaitedMaxWait() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0);
    frame("b", 0);
    harness.setProcessingTime(T0 + 99);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.setProcessingTime(T0 + 100);

    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(2);
    assertThat(operator().pendingFrames()).isZero();
  }

  @Test
  void keepsEachStreamsFramesInOrderWithOneFramePerStreamPerStep() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0);
    frame("a", 1);
    frame("a", 2);
    frame("b", 0);
    harness.setProcessingTime(T0 + 100);

    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(2, 1, 1);
    assertThat(captionsOf("a")).containsExactly("seen 0", "seen 0 1", "seen 0 1 2");
    assertThat(captionsOf("b")).containsExactly("seen 0");
  }

  @Test
  void snapshotWithAHalfFullBatchThenRestoreProcessesEveryFrameExactlyOnce() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0);
    frame("b", 0);
    frame("a", 1);
    assertThat(operator().pendingFrames()).isEqualTo(3);

    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, T0);
    assertThat(operator().pendingFrames()).isZero();
    List<String> beforeCheckpoint = captionsOf("a");
    // Frames after the checkpoint reach this instance and then it fails: their results are lost.
    frame("a", 2);
    frame("b", 1);
    harness.close();

    harness = open(settings().build(), snapshot);
    assertThat(operator().pendingFrames()).isZero();
    // The source replays everything after the checkpoint.
    frame("a", 2);
    frame("b", 1);
    frame("a", 3);
    harness.setProcessingTime(T0 + 100);

    assertThat(beforeCheckpoint).containsExactly("seen 0", "seen 0 1");
    assertThat(captionsOf("a")).containsExactly("seen 0 1 2", "seen 0 1 2 3");
    assertThat(captionsOf("b")).containsExactly("seen 0 1");
  }

  @Test
  void startsAStreamWhoseMemoryCameFromOtherWeightsAfreshAndCountsTheReset() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0);
    frame("b", 0);
    harness.setProcessingTime(T0 + 100);
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, T0 + 100);
    harness.close();

    harness = open(settings().build(), snapshot, new HistoryFrameModel.Factory(modelKey + "-v2", "history-v2"));
    frame("a", 1);
    frame("a", 2);
    harness.setProcessingTime(T0 + 200);

    assertThat(captionsOf("a")).as("the old model's memory is never handed to the new one")
        .containsExactly("seen 1", "seen 1 2");
    assertThat(operator().inferenceMetrics().memoryResetCount(MemoryResetReason.MODEL_CHANGED)).isEqualTo(1);
    assertThat(operator().inferenceMetrics().memoryResetCount(MemoryResetReason.UNREADABLE_STATE)).isZero();
  }

  @Test
  void startsAStreamWhoseStateCannotBeReadAfreshAndCountsTheReset() throws Exception {
    harness = open(settings().build(), null);
    operator().setCurrentKey("a");
    operator().getKeyedStateBackend()
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
            new ValueStateDescriptor<>(CasaInferenceOperator.STREAM_STATE_NAME,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
        .update(new byte[] {StreamStateCodec.FORMAT_VERSION + 1, 7, 7});
    frame("a", 5);
    frame("a", 6);
    frame("b", 0);
    harness.setProcessingTime(T0 + 100);

    assertThat(captionsOf("a")).containsExactly("seen 5", "seen 5 6");
    assertThat(captionsOf("b")).containsExactly("seen 0");
    assertThat(operator().inferenceMetrics().memoryResetCount(MemoryResetReason.UNREADABLE_STATE)).isEqualTo(1);
  }

  @Test
  void sendsAFrameOlderThanTheStreamsLastFrameToTheLateOutput() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 5);
    harness.setProcessingTime(T0 + 100);
    frame("a", 3);
    frame("a", 5);
    frame("a", 7);
    // Older than a frame still waiting for its batch.
    frame("a", 6);
    harness.setProcessingTime(T0 + 200);

    assertThat(harness.getSideOutput(LATE)).extracting(r -> r.getValue().sequence()).containsExactly(3L, 5L, 6L);
    assertThat(operator().inferenceMetrics().lateFrames()).isEqualTo(3);
    assertThat(captionsOf("a")).containsExactly("seen 5", "seen 5 7");
  }

  @Test
  void dropsAndCountsAFrameThatGrowsOlderThanMaxFrameAgeWhileItWaitsForItsBatch() throws Exception {
    harness = open(settings().maxFrameAge(Duration.ofSeconds(2)).build(), null);
    harness.processElement1(new StreamRecord<>(TestFrame.of("a", 0, T0 - 1_950, 0)));
    harness.processElement1(new StreamRecord<>(TestFrame.of("b", 0, T0 - 1_000, 0)));
    assertThat(operator().inferenceMetrics().droppedCount(InferenceMetrics.DropReason.STALE))
        .as("both fresh on arrival").isZero();
    harness.setProcessingTime(T0 + 100);

    assertThat(operator().inferenceMetrics().droppedCount(InferenceMetrics.DropReason.STALE)).isEqualTo(1);
    assertThat(events(TextEventKind.CAPTION)).extracting(e -> e.streamId).containsExactly("b");
    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(1);
  }

  @Test
  void dropsAFrameAlreadyStaleOnArrivalAtOnceEvenWhenItIsAlsoOutOfOrder() throws Exception {
    harness = open(settings().maxFrameAge(Duration.ofSeconds(2)).build(), null);
    frame("a", 5);
    harness.setProcessingTime(T0 + 100);
    harness.processElement1(new StreamRecord<>(TestFrame.of("a", 9, T0 - 5_000, 0)));
    harness.processElement1(new StreamRecord<>(TestFrame.of("a", 3, T0 - 5_000, 0)));
    harness.processElement1(new StreamRecord<>(TestFrame.of("b", 0, T0 - 5_000, 0)));

    assertThat(operator().inferenceMetrics().droppedCount(InferenceMetrics.DropReason.STALE)).isEqualTo(3);
    assertThat(harness.getSideOutput(LATE)).as("stale before late: nothing to reprocess").isNullOrEmpty();
    harness.setProcessingTime(T0 + 300);
    assertThat(captionsOf("a")).containsExactly("seen 5");
    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(1);
  }

  @Test
  void countsTheCpuTimeSpentInsideTheModelStep() throws Exception {
    HistoryFrameModel.record(modelKey).busyNanosPerStep = 30_000_000L;
    harness = open(settings().build(), null);
    frame("a", 0);
    harness.setProcessingTime(T0 + 100);
    frame("a", 1);
    harness.setProcessingTime(T0 + 200);

    assertThat(HistoryFrameModel.record(modelKey).batchSizes).containsExactly(1, 1);
    assertThat(operator().inferenceMetrics().inferenceCpuMicros()).as("two steps of 30 ms of CPU each")
        .isBetween(60_000L, 2_000_000L);
  }

  @Test
  void dropsFramesOverTheStreamsMaximumRate() throws Exception {
    harness = open(settings().maxFramesPerSecond(2).build(), null);
    for (int i = 0; i < 10; i++) {
      harness.processElement1(new StreamRecord<>(TestFrame.of("a", i, T0 + i * 100L, 0)));
    }
    harness.setProcessingTime(T0 + 100);

    assertThat(captionsOf("a")).last().isEqualTo("seen 0 5");
    assertThat(operator().inferenceMetrics().droppedCount(InferenceMetrics.DropReason.OVER_RATE)).isEqualTo(8);
  }

  @Test
  void dropsAndCountsAFrameNotOfTheModelsImageSizeInsteadOfFailingItsBatch() throws Exception {
    harness = open(settings().build(), null);
    harness.processElement1(new StreamRecord<>(new TestFrame("a", 0, T0, new byte[5])));
    frame("b", 0);
    harness.setProcessingTime(T0 + 100);

    assertThat(operator().inferenceMetrics().droppedCount(InferenceMetrics.DropReason.WRONG_SIZE)).isEqualTo(1);
    assertThat(events(TextEventKind.CAPTION)).extracting(e -> e.streamId).containsExactly("b");
  }

  @Test
  void clearsTheStateOfAStreamSilentForTheIdleTimeout() throws Exception {
    harness = open(settings().idleTimeout(Duration.ofSeconds(10)).build(), null);
    frame("a", 0);
    frame("b", 0);
    harness.setProcessingTime(T0 + 100);
    harness.setProcessingTime(T0 + 5_000);
    frame("b", 1);
    harness.setProcessingTime(T0 + 5_100);
    assertThat(streamsInState()).isEqualTo(2);

    harness.setProcessingTime(T0 + 10_100);
    assertThat(streamsInState()).isEqualTo(1);
    assertThat(operator().inferenceMetrics().activeStreams()).isEqualTo(1);

    harness.setProcessingTime(T0 + 15_100);
    assertThat(streamsInState()).isZero();
    // A stream that comes back starts with fresh memory.
    frame("a", 9);
    harness.setProcessingTime(T0 + 15_200);
    assertThat(captionsOf("a")).last().isEqualTo("seen 9");
  }

  @Test
  void answersStandingQueriesAddedAndRemovedWhileRunning() throws Exception {
    harness = open(settings().build(), null);
    frame("a", 0, 0);
    harness.setProcessingTime(T0 + 100);
    assertThat(events(TextEventKind.ANSWER)).isEmpty();

    query(yesNoQuery("q1", QueryAction.UPSERT));
    frame("a", 1, 0);
    frame("a", 2, 0);
    frame("a", 3, 1);
    frame("b", 0, 1);
    harness.setProcessingTime(T0 + 200);

    // On change: "yes" once, then "no"; the flip is an ALERT. Stream b is not selected.
    assertThat(events(TextEventKind.ANSWER)).extracting(e -> e.frameSequence, e -> e.text)
        .containsExactly(tuple(1L, "yes"), tuple(3L, "no"));
    assertThat(events(TextEventKind.ALERT)).extracting(e -> e.frameSequence, e -> e.queryId)
        .containsExactly(tuple(3L, "q1"));

    query(yesNoQuery("q1", QueryAction.REMOVE));
    frame("a", 4, 0);
    harness.setProcessingTime(T0 + 300);
    assertThat(events(TextEventKind.ANSWER)).hasSize(2);
    assertThat(events(TextEventKind.ALERT)).hasSize(1);
  }

  @Test
  void keepsStandingQueriesInBroadcastStateAcrossARestore() throws Exception {
    harness = open(settings().build(), null);
    query(StandingQuery.newBuilder()
        .setQueryId("all").setStreams(new AllStreams()).setQuestion("anything?")
        .setAnswerMode(AnswerMode.YES_NO).setEmitPolicy(new OnChange()).build());
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, T0);
    harness.close();

    harness = open(settings().build(), snapshot);
    frame("z", 0);
    harness.setProcessingTime(T0 + 100);
    assertThat(events(TextEventKind.ANSWER)).extracting(e -> e.queryId).containsExactly("all");
  }

  @Test
  void closingTheLastOperatorClosesTheSharedModel() throws Exception {
    harness = open(settings().build(), null);
    KeyedTwoInputStreamOperatorTestHarness<String, TestFrame, byte[], EmittedText> second = open(settings().build(), null);
    HistoryFrameModel.Record record = HistoryFrameModel.record(modelKey);
    assertThat(record.loads).hasValue(1);

    second.close();
    assertThat(record.closes).hasValue(0);
    harness.close();
    harness = null;
    assertThat(record.closes).hasValue(1);
  }

  private void query(StandingQuery query) throws Exception {
    harness.processElement2(new StreamRecord<>(AvroCodec.standingQueries().encode(query)));
  }

  private static StandingQuery yesNoQuery(String id, QueryAction action) {
    return StandingQuery.newBuilder()
        .setQueryId(id)
        .setAction(action)
        .setStreams(StreamIdList.newBuilder().setStreamIds(List.of("a")).build())
        .setQuestion("is the first marker even?")
        .setAnswerMode(AnswerMode.YES_NO)
        .setEmitPolicy(new OnChange())
        .build();
  }
}
