package casastream.operators.kafka;

import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Test output: each element as a message of one named topic, key and value given as bytes by two
 * functions.
 */
public record BytesToTopic<T>(String topic, SerializableFunction<T, byte[]> key,
                              SerializableFunction<T, byte[]> value)
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topic, key.apply(element), value.apply(element));
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return KafkaSinks.topicFacet(topic);
  }
}
