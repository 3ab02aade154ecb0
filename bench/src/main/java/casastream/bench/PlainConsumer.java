package casastream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick of the job's overhead: a plain Kafka consumer reading a topic from the start with
 * the job's fetch settings and doing nothing with the records.
 */
final class PlainConsumer {

  private PlainConsumer() {}

  /** Records per second from the first batch received to the last of {@code expected} records. */
  static double recordsPerSecond(String bootstrapServers, String topic, int expected, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long first = 0;
      long last = 0;
      int read = 0;
      int firstBatch = 0;
      while (read < expected && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (!records.isEmpty()) {
          last = System.nanoTime();
          if (read == 0) {
            first = last;
            firstBatch = records.count();
          }
          read += records.count();
        }
      }
      if (read < expected) {
        throw new IllegalStateException("the plain consumer read " + read + " of " + expected + " records of "
            + topic + " within " + timeout);
      }
      // the clock starts when the first batch arrived, so that batch is not counted
      return (read - firstBatch) / Math.max(1e-9, (last - first) / 1e9);
    }
  }
}
