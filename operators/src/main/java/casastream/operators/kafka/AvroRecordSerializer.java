package casastream.operators.kafka;

import casastream.schemas.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a stream element to one topic as an Avro single-object message, keyed by a string
 * (UTF-8; e.g. the stream id, so one stream's messages share a partition and stay in order).
 * It names its topic to the sink (pooled transactional ids and lineage need it).
 *
 * @param <T> the element type flowing in the job
 * @param <R> the Avro record written to Kafka
 */
public final class AvroRecordSerializer<T, R extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

  private final String topic;
  private final Class<R> recordType;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, R> toRecord;
  /** Built on first use: the codec is not serializable and the schema is cheap to load. */
  private transient AvroCodec<R> codec;

  /**
   * @param key the message key of an element; a null key writes a message without a key
   * @param toRecord the Avro record written for an element
   */
  public AvroRecordSerializer(String topic, Class<R> recordType,
      SerializableFunction<T, String> key, SerializableFunction<T, R> toRecord) {
    KafkaSources.requireText(topic, "topic");
    this.topic = topic;
    this.recordType = recordType;
    this.key = key;
    this.toRecord = toRecord;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = AvroCodec.of(recordType);
    }
    String keyText = key.apply(element);
    byte[] keyBytes = keyText == null ? null : keyText.getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, timestamp, keyBytes, codec.encode(toRecord.apply(element)));
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return KafkaSinks.topicFacet(topic);
  }
}
