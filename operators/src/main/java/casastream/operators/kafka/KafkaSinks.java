package casastream.operators.kafka;

import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka sinks with the job's safe defaults; callers may override any setting before build(). */
public final class KafkaSinks {

  private KafkaSinks() {}

  /**
   * An exactly-once sink: records become visible to read_committed consumers when the checkpoint
   * that covers them completes. The transactional id prefix must be unique per sink and stable
   * across restarts of the same job (it is how a restarted job aborts its own lingering
   * transactions). The transaction timeout is {@link KafkaDefaults#TRANSACTION_TIMEOUT}, below the
   * broker's 15-minute maximum; messages may be up to {@link KafkaDefaults#MAX_MESSAGE_BYTES}.
   *
   * <p>Transactional ids are pooled ({@link TransactionNamingStrategy#POOLING}): each subtask reuses
   * the ids of committed transactions instead of naming a new one per checkpoint, so the broker
   * keeps state for a handful of ids per subtask rather than one per subtask and checkpoint for
   * {@code transactional.id.expiration.ms} (7 days by default). It needs a broker that lists
   * transactions (Kafka 3.0 or newer) and a serializer that names its topics
   * ({@link KafkaDatasetFacetProvider}, as {@link AvroRecordSerializer} does).
   */
  public static <T> KafkaSinkBuilder<T> exactlyOnce(String bootstrapServers,
      String transactionalIdPrefix, KafkaRecordSerializationSchema<T> serializer) {
    KafkaSources.requireText(bootstrapServers, "bootstrapServers");
    KafkaSources.requireText(transactionalIdPrefix, "transactionalIdPrefix");
    if (serializer == null) {
      throw new IllegalArgumentException("serializer is missing: give the record serializer");
    }
    if (!(serializer instanceof KafkaDatasetFacetProvider)) {
      throw new IllegalArgumentException("serializer " + serializer.getClass().getName()
          + " does not name its topics: pooled transactional ids need a serializer that implements "
          + "KafkaDatasetFacetProvider (AvroRecordSerializer does)");
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
        .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            String.valueOf(KafkaDefaults.TRANSACTION_TIMEOUT.toMillis()))
        .setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
  }

  /** What a serializer that writes to one topic tells the sink about it ({@link KafkaDatasetFacetProvider}). */
  public static Optional<KafkaDatasetFacet> topicFacet(String topic) {
    return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }
}
