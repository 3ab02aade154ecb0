package casastream.sql;

import casastream.operators.kafka.KafkaDefaults;
import casastream.operators.kafka.Topics;
import casastream.sql.format.CasaAvroFormatFactory;
import casastream.sql.format.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.types.logical.RowType;

/**
 * The job's topics as SQL tables: {@code frames} (Frame rows) and {@code text_events} (TextEvent
 * rows), every message column plus the Kafka record's {@code kafka_topic}, {@code kafka_partition}, {@code kafka_offset}
 * and {@code kafka_timestamp}, with a watermark on {@code capture_time} (frames arrive a few seconds
 * out of order at most). Reads are read_committed: only what the job's exactly-once sink committed.
 * Writes to {@code text_events} are exactly-once too (Kafka transactions on each checkpoint, with the
 * job's transaction timeout, below the broker's default maximum).
 */
public final class CasaTables {

  public static final String FRAMES = "frames";
  public static final String TEXT_EVENTS = "text_events";
  /** How far behind the newest capture time a frame may still arrive in order for event-time windows. */
  public static final String WATERMARK_DELAY = "INTERVAL '5' SECOND";

  private CasaTables() {}

  /**
   * @param bounded read the topics as they stand when the query starts, then end (else follow them)
   * @param transactionalIdPrefix the prefix of the Kafka transactions of writes, unique per session
   */
  public static void register(TableEnvironment sql, String bootstrap, boolean bounded, String transactionalIdPrefix) {
    registerTopic(sql, FRAMES, Topics.FRAMES, MessageType.FRAME, bootstrap, bounded, transactionalIdPrefix);
    registerTopic(sql, TEXT_EVENTS, Topics.TEXT_EVENTS, MessageType.TEXT_EVENT, bootstrap, bounded,
        transactionalIdPrefix);
  }

  /**
   * Declares one more table over a topic of the job's messages, as {@link #register} declares the
   * two standard ones: e.g. a second events topic, or frames of another topic.
   */
  public static void registerTopic(TableEnvironment sql, String table, String topic, MessageType message,
      String bootstrap, boolean bounded, String transactionalIdPrefix) {
    sql.executeSql(ddl(table, topic, message, bootstrap, bounded, transactionalIdPrefix));
  }

  static String ddl(String table, String topic, MessageType message, String bootstrap, boolean bounded,
      String transactionalIdPrefix) {
    List<String> columns = new ArrayList<>();
    RowType row = (RowType) message.fullRow().getLogicalType();
    for (RowType.RowField field : row.getFields()) {
      columns.add("`" + field.getName() + "` " + field.getType().asSerializableString());
    }
    columns.add("kafka_topic STRING METADATA FROM 'topic' VIRTUAL");
    columns.add("kafka_partition INT METADATA FROM 'partition' VIRTUAL");
    columns.add("kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL");
    columns.add("kafka_timestamp TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL");
    columns.add("WATERMARK FOR capture_time AS capture_time - " + WATERMARK_DELAY);
    return "CREATE TEMPORARY TABLE `" + table + "` (\n  " + String.join(",\n  ", columns) + "\n) WITH (\n"
        + "  'connector' = 'kafka',\n"
        + "  'topic' = '" + topic + "',\n"
        + "  'properties.bootstrap.servers' = '" + bootstrap + "',\n"
        + "  'properties.isolation.level' = 'read_committed',\n"
        + "  'scan.startup.mode' = 'earliest-offset',\n"
        + (bounded ? "  'scan.bounded.mode' = 'latest-offset',\n" : "")
        + "  'sink.delivery-guarantee' = 'exactly-once',\n"
        + "  'properties.transaction.timeout.ms' = '" + KafkaDefaults.TRANSACTION_TIMEOUT.toMillis() + "',\n"
        + "  'sink.transactional-id-prefix' = '" + transactionalIdPrefix + "-" + table + "',\n"
        + "  'format' = '" + CasaAvroFormatFactory.IDENTIFIER + "',\n"
        + "  '" + CasaAvroFormatFactory.IDENTIFIER + ".message' = '" + message.option() + "'\n)";
  }
}
