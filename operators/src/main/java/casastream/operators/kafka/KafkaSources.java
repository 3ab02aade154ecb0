package casastream.operators.kafka;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources with the job's safe defaults; callers may override any setting before build(). */
public final class KafkaSources {

  private KafkaSources() {}

  /**
   * A source of undecoded records that reads only committed transactions (read_committed), starts
   * from the group's committed offsets (the earliest ones for a new group), fetches messages up to
   * {@link KafkaDefaults#MAX_MESSAGE_BYTES} and takes at most {@link KafkaDefaults#PARTITION_FETCH_BYTES}
   * of a partition per fetch, so that a backlog of many partitions is read interleaved.
   */
  @SuppressWarnings("deprecation") // the connector's committedOffsets still takes OffsetResetStrategy
  public static KafkaSourceBuilder<RawKafkaRecord> rawRecords(
      String bootstrapServers, String groupId, String... topics) {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(groupId, "groupId");
    if (topics.length == 0) {
      throw new IllegalArgumentException("topics: name at least one topic to read");
    }
    for (String topic : topics) {
      requireText(topic, "topics");
    }
    return KafkaSource.<RawKafkaRecord>builder()
        .setBootstrapServers(bootstrapServers)
        .setGroupId(groupId)
        .setTopics(topics)
        .setDeserializer(new RawKafkaRecordDeserializer())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            String.valueOf(KafkaDefaults.PARTITION_FETCH_BYTES))
        .setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
            String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
  }

  static void requireText(String value, String setting) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(setting + " is empty: give a non-blank value");
    }
  }
}
