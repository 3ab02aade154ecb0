package casastream.sql.ptf;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.EmittedText;
import casastream.operators.inference.EventComposer;
import casastream.operators.inference.FrameModel;
import casastream.operators.inference.InferenceSettings;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.inference.StreamState;
import casastream.operators.queries.EmitPolicy;
import casastream.operators.queries.StandingQuestion;
import casastream.operators.queries.StreamSelector;
import casastream.operators.runtime.ComputeDevice;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.TextEvent;
import casastream.sql.CasaTables;
import casastream.testkit.InProcessKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CASA_STREAM} on a MiniCluster with RocksDB over a real in-process broker, with the shipped
 * model: simulated cameras' frames in, the job's text events out, equal to what the job's model step
 * (every stream in one batch, memory carried, the job's event policies) writes for the same frames.
 * Halfway the query is stopped with a savepoint and started again from it: a stream's memory lost
 * or applied twice would change its later text.
 */
class CasaStreamFunctionTest {

  @RegisterExtension
  static final InProcessKafka KAFKA = new InProcessKafka();

  private static final int STREAMS = 3;
  private static final int FRAMES = 12;
  private static final String QUESTION = "is there a red circle ?";
  private static final long START = 1_796_000_000_000L;

  @TempDir
  Path dir;

  @Test
  void writesTheJobsEventsForEveryFrameAcrossASavepointAndRestore() throws Exception {
    KAFKA.createTopic("frames", 2);
    KAFKA.createTopic("text-events", 1);
    KAFKA.createTopic("ptf-events", 1);
    CasaFrameModelFactory model = CasaFrameModelFactory.shipped();
    int size = model.imageSize();
    List<List<WorldFrame>> worlds = worlds(size);
    List<Expected> expected = runModelAsTheJobDoes(model, worlds, false);
    assertThat(new TreeSet<>(runModelAsTheJobDoes(model, worlds, true))).as("memory lost at the restore would show")
        .isNotEqualTo(new TreeSet<>(expected));
    assertThat(expected.stream().filter(e -> e.kind().equals("ALERT"))).as("the frames make the answer flip")
        .isNotEmpty();

    KAFKA.produce(frames(worlds, 0, FRAMES / 2));
    String savepoint;
    {
      StreamTableEnvironment sql = session(null);
      JobClient job = sql.executeSql(insert()).getJobClient().orElseThrow();
      awaitEvents(countUpTo(expected, FRAMES / 2));
      savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
          SavepointFormatType.CANONICAL).get();
    }
    KAFKA.produce(frames(worlds, FRAMES / 2, FRAMES));
    StreamTableEnvironment restored = session(savepoint);
    JobClient job = restored.executeSql(insert()).getJobClient().orElseThrow();
    List<Expected> written;
    try {
      written = awaitEvents(expected.size());
    } finally {
      job.cancel().get();
    }

    assertThat(new TreeSet<>(written)).containsExactlyElementsOf(new TreeSet<>(expected));
    assertThat(written).as("no event twice").doesNotHaveDuplicates();
  }

  @Test
  void withOnTimeAStreamIdleForTheTimeoutOfEventTimeStartsAgainWithFreshMemoryAndACorruptFrameIsSkipped() throws Exception {
    KAFKA.createTopic("frames-idle", 1);
    KAFKA.createTopic("idle-events", 1);
    CasaFrameModelFactory model = CasaFrameModelFactory.shipped();
    List<List<WorldFrame>> worlds = worlds(model.imageSize());
    long idle = Duration.ofMinutes(30).toMillis();
    // cam-1 sends frames 0..3, then nothing for 31 minutes of event time while cam-2 goes on.
    List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      before.add(frame("frames-idle", 0, worlds.get(0).get(t), t, START + t * 500L));
    }
    before.add(frame("frames-idle", 1, worlds.get(1).get(0), 0, START + idle + 60_000));
    // A frame the job would dead-letter (its JPEG does not decode) gives no row and stops nothing.
    before.add(new ProducerRecord<>("frames-idle", "cam-9".getBytes(StandardCharsets.UTF_8),
        AvroCodec.frames().encode(Frame.newBuilder().setStreamId("cam-9").setSequence(0)
            .setCaptureTime(Instant.ofEpochMilli(START + idle)).setEncoding(FrameEncoding.JPEG).setWidth(64)
            .setHeight(64).setImage(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
            .setAttributes(Map.of()).build())));
    KAFKA.produce(before);

    StreamTableEnvironment sql = session(null);
    sql.executeSql("CREATE TEMPORARY TABLE idle_frames (stream_id STRING, sequence BIGINT, capture_time TIMESTAMP_LTZ(3),"
        + " encoding STRING, width INT, height INT, image BYTES, WATERMARK FOR capture_time AS capture_time) WITH ("
        + " 'connector' = 'kafka', 'topic' = 'frames-idle', 'properties.bootstrap.servers' = '"
        + KAFKA.bootstrapServers() + "', 'scan.startup.mode' = 'earliest-offset',"
        + " 'format' = 'casa-avro', 'casa-avro.message' = 'frame')");
    sql.executeSql("CREATE TEMPORARY TABLE idle_events (stream_id STRING, frame_sequence BIGINT,"
        + " capture_time TIMESTAMP_LTZ(3), kind STRING, text STRING, query_id STRING, model_id STRING) WITH ("
        + " 'connector' = 'kafka', 'topic' = 'idle-events', 'properties.bootstrap.servers' = '"
        + KAFKA.bootstrapServers() + "', 'sink.delivery-guarantee' = 'exactly-once',"
        + " 'sink.transactional-id-prefix' = 'ptf-idle', 'properties.transaction.timeout.ms' = '60000',"
        + " 'format' = 'casa-avro', 'casa-avro.message' = 'text-event')");
    JobClient job = sql.executeSql("INSERT INTO idle_events SELECT stream_id, frame_sequence, capture_time, kind,"
        + " text, query_id, model_id FROM CASA_STREAM(input => TABLE idle_frames PARTITION BY stream_id,"
        + " questions => ARRAY['" + QUESTION + "'], on_time => DESCRIPTOR(capture_time))").getJobClient().orElseThrow();
    try {
      awaitEvents("idle-events", e -> e.stream().equals("cam-2"));
      Thread.sleep(3_000); // the watermark passes cam-1's idle timer
      KAFKA.produce(List.of(frame("frames-idle", 0, worlds.get(0).get(4), 4, START + idle + 61_000)));
      List<Expected> events = awaitEvents("idle-events", e -> e.stream().equals("cam-1") && e.sequence() == 4);

      String fresh;
      try (FrameModel direct = model.load(ComputeDevice.CPU)) {
        fresh = direct.step(List.of(new StreamRequest(null, worlds.get(0).get(4).rgb(), List.of(QUESTION))))
            .get(0).captionWithEvents();
      }
      assertThat(events).filteredOn(e -> e.stream().equals("cam-1") && e.sequence() == 4)
          .as("cam-1's frame 4 runs with fresh memory, and its answer is news again")
          .extracting(Expected::kind, Expected::text)
          .contains(org.assertj.core.groups.Tuple.tuple("CAPTION", fresh))
          .anyMatch(t -> t.toList().get(0).equals("ANSWER"));
      assertThat(events).as("the corrupt frame's stream").noneMatch(e -> e.stream().equals("cam-9"));
    } finally {
      job.cancel().get();
    }
  }

  private StreamTableEnvironment session(String savepoint) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    env.setParallelism(1);
    env.enableCheckpointing(500);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    CasaTables.register(sql, KAFKA.bootstrapServers(), false, "ptf-test");
    sql.executeSql("CREATE TEMPORARY TABLE ptf_events (stream_id STRING, frame_sequence BIGINT,"
        + " capture_time TIMESTAMP_LTZ(3), kind STRING, text STRING, query_id STRING, model_id STRING) WITH ("
        + " 'connector' = 'kafka', 'topic' = 'ptf-events', 'properties.bootstrap.servers' = '"
        + KAFKA.bootstrapServers() + "', 'sink.delivery-guarantee' = 'exactly-once',"
        + " 'sink.transactional-id-prefix' = 'ptf-test-out', 'properties.transaction.timeout.ms' = '60000',"
        + " 'format' = 'casa-avro', 'casa-avro.message' = 'text-event')");
    sql.createTemporarySystemFunction(CasaStreamFunction.NAME,
        new CasaStreamFunction(CasaFrameModelFactory.shipped(), InferenceSettings.builder().build()));
    return sql;
  }

  private static String insert() {
    return "INSERT INTO ptf_events SELECT stream_id, frame_sequence, capture_time, kind, text, query_id, model_id"
        + " FROM CASA_STREAM(input => TABLE frames PARTITION BY stream_id, questions => ARRAY['" + QUESTION + "'],"
        + " uid => 'casa')";
  }

  /** One expected (or written) event, ordered for comparison. */
  record Expected(String stream, long sequence, String kind, String text, String queryId) implements Comparable<Expected> {
    @Override
    public int compareTo(Expected o) {
      return toString().compareTo(o.toString());
    }
  }

  /**
   * What the job writes: every stream's frame t in one batch step, memories carried, the job's
   * policies; with {@code forgetAtHalf}, what it would write had every stream lost its memory halfway.
   */
  private static List<Expected> runModelAsTheJobDoes(CasaFrameModelFactory factory, List<List<WorldFrame>> worlds,
      boolean forgetAtHalf) {
    List<Expected> events = new ArrayList<>();
    StandingQuestion question = new StandingQuestion(QUESTION, QUESTION, new StreamSelector.All(), true,
        EmitPolicy.onChange());
    try (FrameModel model = factory.load(ComputeDevice.CPU)) {
      EventComposer composer = new EventComposer(InferenceSettings.builder().build().captionPolicy(), model.modelId());
      List<StreamState> states = new ArrayList<>();
      for (int s = 0; s < STREAMS; s++) {
        states.add(StreamState.fresh(model.modelId()));
      }
      for (int t = 0; t < FRAMES; t++) {
        List<StreamRequest> requests = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
          byte[] memory = forgetAtHalf && t == FRAMES / 2 ? null : states.get(s).memoryFor(model.modelId());
          requests.add(new StreamRequest(memory, worlds.get(s).get(t).rgb(),
              List.of(QUESTION)));
        }
        List<StreamResult> results = model.step(requests);
        for (int s = 0; s < STREAMS; s++) {
          StreamState state = states.get(s);
          state.recordFrame(model.modelId(), results.get(s).memory(), t, START + t * 500L, 0);
          for (EmittedText e : composer.compose(new EventComposer.FrameInfo(stream(s), t, START + t * 500L, 0),
              List.of(question), results.get(s), state, 0)) {
            events.add(new Expected(e.streamId, e.frameSequence, e.kind.name(), e.text, e.queryId));
          }
        }
      }
    }
    return events;
  }

  private static long countUpTo(List<Expected> expected, long frames) {
    return expected.stream().filter(e -> e.sequence() < frames).count();
  }

  private static List<Expected> awaitEvents(long count) throws Exception {
    List<Expected> events = new ArrayList<>();
    awaitEvents("ptf-events", e -> events.size() >= count, events);
    return events;
  }

  private static List<Expected> awaitEvents(String topic, java.util.function.Predicate<Expected> wanted) throws Exception {
    List<Expected> events = new ArrayList<>();
    awaitEvents(topic, e -> events.stream().anyMatch(wanted), events);
    return events;
  }

  /** Reads the topic's committed events into {@code events} until {@code done} says so. */
  private static void awaitEvents(String topic, java.util.function.Predicate<List<Expected>> done, List<Expected> events)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      events.clear();
      for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAllCommitted(topic, Duration.ofSeconds(5))) {
        TextEvent e = AvroCodec.textEvents().decode(record.value());
        events.add(new Expected(e.getStreamId(), e.getFrameSequence(), e.getKind().name(), e.getText(), e.getQueryId()));
      }
      if (done.test(events)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Waited 4 min for the events on " + topic + "; have " + events.size() + ": " + events);
  }

  /**
   * Streams of the frame-to-frame world: its busier traffic (objects come and go several times more
   * often than in the history world the shipped model knows) makes the standing answer flip within a
   * few frames; any camera picture is the model's input alike.
   */
  private static List<List<WorldFrame>> worlds(int size) {
    List<List<WorldFrame>> worlds = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      CameraWorld world = new CameraWorld(WorldConfig.defaults(), 900_000 + s);
      List<WorldFrame> frames = new ArrayList<>();
      for (int t = 0; t < FRAMES; t++) {
        WorldFrame frame = world.next();
        assertThat(frame.width()).as("the world renders at the model's size").isEqualTo(size);
        frames.add(frame);
      }
      worlds.add(frames);
    }
    return worlds;
  }

  private static List<ProducerRecord<byte[], byte[]>> frames(List<List<WorldFrame>> worlds, int from, int to) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int t = from; t < to; t++) {
      for (int s = 0; s < STREAMS; s++) {
        WorldFrame w = worlds.get(s).get(t);
        byte[] value = AvroCodec.frames().encode(Frame.newBuilder().setStreamId(stream(s)).setSequence(t)
            .setCaptureTime(Instant.ofEpochMilli(START + t * 500L)).setEncoding(FrameEncoding.RAW_RGB)
            .setWidth(w.width()).setHeight(w.height()).setImage(ByteBuffer.wrap(w.rgb())).setAttributes(Map.of())
            .build());
        records.add(new ProducerRecord<>("frames", stream(s).getBytes(StandardCharsets.UTF_8), value));
      }
    }
    return records;
  }

  private static ProducerRecord<byte[], byte[]> frame(String topic, int s, WorldFrame w, long sequence, long capture) {
    byte[] value = AvroCodec.frames().encode(Frame.newBuilder().setStreamId(stream(s)).setSequence(sequence)
        .setCaptureTime(Instant.ofEpochMilli(capture)).setEncoding(FrameEncoding.RAW_RGB)
        .setWidth(w.width()).setHeight(w.height()).setImage(ByteBuffer.wrap(w.rgb())).setAttributes(Map.of())
        .build());
    return new ProducerRecord<>(topic, stream(s).getBytes(StandardCharsets.UTF_8), value);
  }

  private static String stream(int s) {
    return "cam-" + (s + 1);
  }
}
