package casastream.sql.ptf;

import casastream.operators.inference.EmittedText;
import casastream.operators.inference.EventComposer;
import casastream.operators.inference.FrameAdmission;
import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.InferenceSettings;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.inference.StreamState;
import casastream.operators.inference.StreamStateCodec;
import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.queries.EmitPolicy;
import casastream.operators.queries.StandingQuestion;
import casastream.operators.queries.StreamSelector;
import casastream.operators.runtime.ComputeDevice;
import casastream.operators.runtime.DeviceSelector;
import casastream.operators.runtime.ModelLease;
import casastream.operators.runtime.SharedModels;
import casastream.operators.validation.FrameRejection;
import casastream.operators.validation.FrameValidator;
import casastream.operators.validation.ValidFrame;
import casastream.operators.validation.ValidationOptions;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CASA_STREAM}: the job's CASA inference as a Flink SQL process table function.
 *
 * <pre>{@code
 * SELECT * FROM CASA_STREAM(
 *     input => TABLE frames PARTITION BY stream_id,
 *     questions => ARRAY['is there a red circle ?'],
 *     on_time => DESCRIPTOR(capture_time))
 * }</pre>
 *
 * <p>Each stream's memory and bookkeeping (the job's {@link StreamState}, in the job's encoding) is
 * the PTF's state for the stream's partition, in the session's state backend (RocksDB with
 * {@code sql}), so it survives checkpoints and restores. Frames are validated as the job validates
 * them; a frame the job would send to the dead letters, or one out of order, gives no row and is
 * counted ({@value #REJECTED_METRIC}, {@value #LATE_METRIC}). The rows are the job's text events,
 * with the same policies: a CAPTION when the caption changes, an ANSWER when a question's answer
 * changes, an ALERT when a yes/no answer flips; the questions are yes/no questions, each its own
 * {@code query_id} (the question's text). With {@code on_time}, a stream that sends nothing for the
 * idle timeout of event time has its state cleared by a timer.
 *
 * <p>One frame is one model step of batch 1: a PTF sees one row at a time, so unlike the job it
 * cannot batch frames of many streams into one step.
 */
@FunctionHint(output = @DataTypeHint("ROW<event_id STRING, frame_sequence BIGINT, capture_time TIMESTAMP_LTZ(3),"
    + " kind STRING, text STRING, query_id STRING, model_id STRING, processing_latency_millis BIGINT,"
    + " source_partition INT, source_offset BIGINT, alert_frames INT>"))
public final class CasaStreamFunction extends ProcessTableFunction<Row> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CasaStreamFunction.class);
  public static final String NAME = "CASA_STREAM";
  static final String REJECTED_METRIC = "casaFramesRejected";
  static final String LATE_METRIC = "casaFramesLate";
  static final String IDLE_TIMER = "idle";

  /** A stream's state: the job's stream state, encoded by {@link StreamStateCodec}. */
  public static class Memory {
    public byte[] state;
  }

  private final FrameModelFactory modelFactory;
  private final InferenceSettings settings;
  private transient ModelLease<FrameModel> lease;
  private transient FrameModel model;
  private transient FrameValidator validator;
  private transient EventComposer composer;
  private transient FrameAdmission admission;
  private transient Map<List<String>, List<StandingQuestion>> questionsByText;
  private transient Counter rejected;
  private transient Counter late;

  public CasaStreamFunction(FrameModelFactory modelFactory, InferenceSettings settings) {
    this.modelFactory = modelFactory;
    this.settings = settings;
  }

  @Override
  public void open(FunctionContext context) {
    // As the job: a GPU of the TaskManager's external resource "gpu" when it has one, else the CPU.
    ComputeDevice device = DeviceSelector.choose(context.getExternalResourceInfos(DeviceSelector.GPU_RESOURCE),
        modelFactory.engineGpuCount(), context.getTaskInfo().getIndexOfThisSubtask());
    lease = SharedModels.acquire(modelFactory.modelKey() + "@" + device, () -> modelFactory.load(device),
        settings.modelLinger());
    model = lease.model();
    int side = model.imageSize();
    validator = new FrameValidator(ValidationOptions.builder().targetSize(side, side).build());
    composer = new EventComposer(settings.captionPolicy(), model.modelId());
    admission = new FrameAdmission(settings.maxFramesPerSecond());
    questionsByText = new HashMap<>();
    rejected = context.getMetricGroup().counter(REJECTED_METRIC);
    late = context.getMetricGroup().counter(LATE_METRIC);
  }

  public void eval(Context ctx, @StateHint(name = "memory") Memory memory,
      @ArgumentHint(value = ArgumentTrait.SET_SEMANTIC_TABLE, name = "input") Row frame,
      @ArgumentHint(name = "questions", isOptional = true) String[] questions) throws Exception {
    long arrival = System.currentTimeMillis();
    ValidFrame valid;
    try {
      valid = validator.validate(frame(frame), origin(frame), arrival);
    } catch (FrameRejection rejection) {
      rejected.inc();
      LOG.debug("Frame of {} skipped: {}", frame.getField("stream_id"), rejection.getMessage());
      return;
    }
    StreamState state = read(memory);
    if (state != null && admission.decide(valid.sequence, valid.captureTimeMillis, state.lastSequence(),
        state.lastCaptureMillis()) != FrameAdmission.Decision.ACCEPT) {
      late.inc();
      return;
    }
    if (state == null) {
      state = StreamState.fresh(model.modelId());
    }
    List<StandingQuestion> asked = questions(questions);
    List<String> texts = asked.stream().map(StandingQuestion::question).toList();
    StreamResult result = model.step(List.of(new StreamRequest(state.memoryFor(model.modelId()), valid.rgb, texts)))
        .get(0);
    long now = System.currentTimeMillis();
    state.recordFrame(model.modelId(), result.memory(), valid.sequence, valid.captureTimeMillis, now);
    List<EmittedText> events = composer.compose(new EventComposer.FrameInfo(valid.streamId, valid.sequence,
            valid.captureTimeMillis, arrival, valid.sourceTopic, valid.sourcePartition, valid.sourceOffset),
        asked, result, state, now);
    memory.state = StreamStateCodec.encode(state);
    TimeContext<Instant> time = ctx.timeContext(Instant.class);
    if (time.time() != null) {
      time.registerOnTime(IDLE_TIMER, time.time().plusMillis(settings.idleTimeoutMillis()));
    }
    for (EmittedText event : events) {
      collect(Row.of(event.eventId, event.frameSequence, Instant.ofEpochMilli(event.captureTimeMillis),
          event.kind.name(), event.text, event.queryId, event.modelId, event.processingLatencyMillis,
          event.sourcePartition, event.sourceOffset, event.alertFrames));
    }
  }

  /** The stream sent nothing for the idle timeout (event time): its memory goes. */
  public void onTimer(OnTimerContext ctx, @StateHint(name = "memory") Memory memory) {
    ctx.clearAll();
  }

  @Override
  public void close() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }

  private static StreamState read(Memory memory) {
    if (memory.state == null) {
      return null;
    }
    try {
      return StreamStateCodec.decode(memory.state);
    } catch (StreamStateCodec.UnreadableStateException e) {
      LOG.warn("A stream's state could not be read ({}); it starts with fresh memory", e.getMessage());
      return null;
    }
  }

  private List<StandingQuestion> questions(String[] questions) {
    List<String> texts = questions == null ? List.of() : List.of(questions);
    return questionsByText.computeIfAbsent(texts, t -> {
      List<StandingQuestion> asked = new ArrayList<>();
      for (String text : t) {
        asked.add(new StandingQuestion(text, text, new StreamSelector.All(), true, EmitPolicy.onChange()));
      }
      return List.copyOf(asked);
    });
  }

  /** The frame row as the job reads its message. */
  private static Frame frame(Row row) {
    Object image = row.getField("image") != null ? ByteBuffer.wrap(row.getFieldAs("image"))
        : row.getField("image_uri") != null ? new ImageReference(row.getFieldAs("image_uri")) : ByteBuffer.allocate(0);
    return Frame.newBuilder()
        .setStreamId(row.getFieldAs("stream_id"))
        .setSequence(row.<Long>getFieldAs("sequence"))
        .setCaptureTime(row.<Instant>getFieldAs("capture_time"))
        .setEncoding(encoding(row.getFieldAs("encoding")))
        .setWidth(row.<Integer>getFieldAs("width"))
        .setHeight(row.<Integer>getFieldAs("height"))
        .setImage(image)
        .build();
  }

  /** Where the row came from, when its table has the Kafka metadata columns (the {@code sql} command's do). */
  private static RawKafkaRecord origin(Row row) {
    RawKafkaRecord origin = new RawKafkaRecord();
    Set<String> columns = row.getFieldNames(false);
    boolean fromKafka = columns != null && columns.contains("kafka_topic") && row.getField("kafka_topic") != null;
    origin.topic = fromKafka ? row.getFieldAs("kafka_topic") : null;
    origin.partition = fromKafka ? row.<Integer>getFieldAs("kafka_partition") : -1;
    origin.offset = fromKafka ? row.<Long>getFieldAs("kafka_offset") : -1;
    origin.key = row.<String>getFieldAs("stream_id").getBytes(StandardCharsets.UTF_8);
    return origin;
  }

  private static FrameEncoding encoding(String name) {
    try {
      return FrameEncoding.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      return FrameEncoding.UNKNOWN;
    }
  }
}
