package casastream.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's Kafka source on a real broker and a MiniCluster: a backlog of several partitions is
 * read a little of each at a time (so the model can batch frames of many streams), and a message
 * far larger than what a fetch takes of a partition still arrives whole.
 */
class KafkaSourceFetchTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();
  @RegisterExtension static final MiniClusterExtension FLINK = TwoSlotCluster.create();

  private static final int PARTITIONS = 4;

  @Test
  void aBacklogIsReadFromEveryPartitionInTurnAndLargeMessagesArriveWhole() throws Exception {
    String topic = "backlog";
    KAFKA.createTopic(topic, PARTITIONS);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    // per partition: 1 MiB of 2 KiB messages, far more than one fetch takes of it
    for (int partition = 0; partition < PARTITIONS; partition++) {
      for (int i = 0; i < 512; i++) {
        records.add(new ProducerRecord<>(topic, partition, key(partition), new byte[2048]));
      }
    }
    byte[] large = new byte[3 * 1024 * 1024];
    Arrays.fill(large, (byte) 7);
    records.add(new ProducerRecord<>(topic, 1, key(1), large));
    KAFKA.produce(records);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    // what each record was (partition, size, its bytes as sent); the whole 3 MiB is over the collect sink's limit
    List<Read> read = env.fromSource(
            KafkaSources.rawRecords(KAFKA.bootstrapServers(), "fetch-test", topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .build(),
            WatermarkStrategy.noWatermarks(), "backlog")
        .map(r -> new Read(r.partition, r.value.length, Arrays.hashCode(r.value)))
        .executeAndCollect(records.size() + 1);

    assertThat(read).hasSize(records.size());
    // the first 256 records (the inference operator's pending frames at batch 64) span every partition
    Set<Integer> first = new HashSet<>();
    for (Read record : read.subList(0, 256)) {
      first.add(record.partition);
    }
    assertThat(first).as("partitions among the first 256 records read").hasSize(PARTITIONS);
    assertThat(read).filteredOn(r -> r.bytes == large.length).singleElement()
        .satisfies(r -> assertThat(r.hash).isEqualTo(Arrays.hashCode(large)));
  }

  /** A record as read: a Flink POJO. */
  public static final class Read {
    public int partition;
    public int bytes;
    public int hash;

    public Read() {}

    Read(int partition, int bytes, int hash) {
      this.partition = partition;
      this.bytes = bytes;
      this.hash = hash;
    }
  }

  private static byte[] key(int partition) {
    return ("stream-" + partition).getBytes(StandardCharsets.UTF_8);
  }
}
