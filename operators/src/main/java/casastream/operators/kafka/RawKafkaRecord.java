package casastream.operators.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as it arrived: where it came from and its undecoded key and value. Decoding
 * happens downstream, where a failure can be routed to dead letters with this provenance.
 * A Flink POJO (public fields, no-argument constructor), so it is serialized without Kryo.
 */
public class RawKafkaRecord {

  public String topic;
  public int partition;
  public long offset;
  /** The record's Kafka timestamp, epoch milliseconds. */
  public long timestamp;
  /** Null when the record has no key. */
  public byte[] key;
  /** Null for a tombstone. */
  public byte[] value;

  public RawKafkaRecord() {}

  public RawKafkaRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RawKafkaRecord other)) {
      return false;
    }
    return partition == other.partition && offset == other.offset && timestamp == other.timestamp
        && Objects.equals(topic, other.topic) && Arrays.equals(key, other.key)
        && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset
        + " (" + (value == null ? "no value" : value.length + " bytes") + ")";
  }
}
