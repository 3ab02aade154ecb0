package casastream.sql.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import casastream.testkit.InProcessKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The casa-avro format on Flink SQL over a real in-process broker: frames as the job's producers
 * write them read as rows (a corrupt message among them skipped, the query going on), text events
 * written by INSERT read back by the job's own codec, and declarations the format cannot serve
 * refused with the column at fault.
 */
class CasaAvroFormatTest {

  @RegisterExtension
  static final InProcessKafka KAFKA = new InProcessKafka();

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @BeforeAll
  static void framesWithACorruptMessageAmongThem() {
    KAFKA.createTopic("frames", 1);
    KAFKA.createTopic("text-events", 1);
    AvroCodec<Frame> codec = AvroCodec.frames();
    KAFKA.produce("frames", key("cam-1"), codec.encode(frame("cam-1", 0, ByteBuffer.wrap(new byte[] {1, 2, 3}))));
    KAFKA.produce("frames", key("cam-1"), new byte[] {(byte) 0xC3, 0x01, 9, 9, 9});
    KAFKA.produce("frames", key("cam-2"), codec.encode(frame("cam-2", 7, new ImageReference("file:///d/7.jpg"))));
    KAFKA.produce("frames", key("cam-1"), "not avro at all".getBytes(StandardCharsets.UTF_8));
    KAFKA.produce("frames", key("cam-1"), codec.encode(frame("cam-1", 1, ByteBuffer.wrap(new byte[] {4}))));
  }

  @Test
  void readsFramesAsRowsAndSkipsMessagesThatDoNotDecode() throws Exception {
    StreamTableEnvironment sql = sql();
    sql.executeSql(table("frames", "frame", "stream_id STRING, sequence BIGINT, capture_time TIMESTAMP_LTZ(3),"
        + " encoding STRING, width INT, height INT, image BYTES, image_uri STRING, attributes MAP<STRING, STRING>,"
        + " `offset` BIGINT METADATA VIRTUAL"));

    List<Row> rows = collect(sql.executeSql("SELECT stream_id, sequence, encoding, width, image, image_uri,"
        + " attributes['site'], `offset` FROM frames"));

    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).getField(0)).isEqualTo("cam-1");
    assertThat(rows.get(0).getField(1)).isEqualTo(0L);
    assertThat(rows.get(0).getField(2)).isEqualTo("JPEG");
    assertThat(rows.get(0).getField(3)).isEqualTo(4);
    assertThat((byte[]) rows.get(0).getField(4)).containsExactly(1, 2, 3);
    assertThat(rows.get(0).getField(5)).isNull();
    assertThat(rows.get(0).getField(6)).isEqualTo("dock");
    assertThat(rows.get(1).getField(4)).isNull();
    assertThat(rows.get(1).getField(5)).isEqualTo("file:///d/7.jpg");
    assertThat(rows.get(2).getField(1)).isEqualTo(1L);
    assertThat(rows).extracting(r -> r.getField(7)).containsExactly(0L, 2L, 4L);
  }

  @Test
  void writesTextEventsTheJobsConsumersRead() throws Exception {
    StreamTableEnvironment sql = sql();
    sql.executeSql(table("text-events", "text-event", "stream_id STRING, frame_sequence BIGINT,"
        + " capture_time TIMESTAMP_LTZ(3), kind STRING, text STRING, query_id STRING, model_id STRING,"
        + " source ROW<topic STRING, `partition` INT, `offset` BIGINT>"));

    sql.executeSql("INSERT INTO `text-events` VALUES"
        + " ('cam-1', 41, TO_TIMESTAMP_LTZ(1796292000000, 3), 'caption', 'a red circle', CAST(NULL AS STRING), 'sql',"
        + "   ROW('frames', 0, CAST(12 AS BIGINT))),"
        + " ('cam-1', 42, TO_TIMESTAMP_LTZ(1796292000500, 3), 'ALERT', 'yes', 'red', 'sql', CAST(NULL AS ROW<topic STRING,"
        + "   `partition` INT, `offset` BIGINT>))").await();

    List<TextEvent> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAllCommitted("text-events", Duration.ofSeconds(30))) {
      events.add(AvroCodec.textEvents().decode(record.value()));
    }
    assertThat(events).hasSize(2);
    // the two rows may land in different partitions, whose records come back in either order
    events.sort(Comparator.comparingLong(TextEvent::getFrameSequence));
    TextEvent caption = events.get(0);
    assertThat(caption.getKind()).isEqualTo(TextEventKind.CAPTION);
    assertThat(caption.getText()).isEqualTo("a red circle");
    assertThat(caption.getEventId()).as("computed as the job computes it")
        .isEqualTo(TextEventIds.of("cam-1", 41, TextEventKind.CAPTION, null));
    assertThat(caption.getCaptureTime()).isEqualTo(Instant.ofEpochMilli(1796292000000L));
    assertThat(caption.getSource().getOffset()).isEqualTo(12L);
    assertThat(events.get(1).getQueryId()).isEqualTo("red");
    assertThat(events.get(1).getSource()).isNull();
  }

  @Test
  void refusesColumnsTheMessageDoesNotHaveOrHasWithAnotherType() {
    StreamTableEnvironment sql = sql();
    sql.executeSql(table("frames", "frame", "stream_id STRING, camera STRING").replace("`frames`", "bad_column"));
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM bad_column"))
        .hasStackTraceContaining("has no column `camera`").hasStackTraceContaining("stream_id STRING");

    sql.executeSql(table("frames", "frame", "stream_id STRING, sequence INT").replace("`frames`", "bad_type"));
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM bad_type"))
        .hasStackTraceContaining("Column `sequence` of a casa-avro frame table must be BIGINT, not INT");

    sql.executeSql(table("text-events", "text-event", "stream_id STRING, text STRING").replace("`text-events`", "thin"));
    assertThatThrownBy(() -> sql.executeSql("INSERT INTO thin VALUES ('cam-1', 'x')"))
        .hasStackTraceContaining("needs the columns [frame_sequence, capture_time, kind, model_id]");

    sql.executeSql(table("frames", "nonsense", "stream_id STRING").replace("`frames`", "bad_message"));
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM bad_message"))
        .isInstanceOf(ValidationException.class)
        .hasStackTraceContaining("'casa-avro.message' must be 'frame' or 'text-event', was 'nonsense'");
  }

  private static StreamTableEnvironment sql() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    return StreamTableEnvironment.create(env);
  }

  private static String table(String topic, String message, String columns) {
    return "CREATE TABLE `" + topic + "` (" + columns + ") WITH ("
        + "'connector' = 'kafka', 'topic' = '" + topic + "',"
        + " 'properties.bootstrap.servers' = '" + KAFKA.bootstrapServers() + "',"
        + " 'properties.isolation.level' = 'read_committed',"
        + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',"
        + " 'format' = 'casa-avro', 'casa-avro.message' = '" + message + "')";
  }

  private static List<Row> collect(TableResult result) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = result.collect()) {
      it.forEachRemaining(rows::add);
    }
    return rows;
  }

  private static byte[] key(String stream) {
    return stream.getBytes(StandardCharsets.UTF_8);
  }

  private static Frame frame(String stream, long sequence, Object image) {
    return Frame.newBuilder().setStreamId(stream).setSequence(sequence).setCaptureTime(T0.plusMillis(sequence))
        .setEncoding(FrameEncoding.JPEG).setWidth(4).setHeight(3).setImage(image)
        .setAttributes(Map.of("site", "dock")).build();
  }
}
