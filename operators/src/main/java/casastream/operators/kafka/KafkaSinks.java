package casastream.operators.kafka;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
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
   */
  public static <T> KafkaSinkBuilder<T> exactlyOnce(String bootstrapServers,
      String transactionalIdPrefix, KafkaRecordSerializationSchema<T> serializer) {
    KafkaSources.requireText(bootstrapServers, "bootstrapServers");
    KafkaSources.requireText(transactionalIdPrefix, "transactionalIdPrefix");
    if (serializer == null) {
      throw new IllegalArgumentException("serializer is missing: give the record serializer");
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            String.valueOf(KafkaDefaults.TRANSACTION_TIMEOUT.toMillis()))
        .setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
  }
}
