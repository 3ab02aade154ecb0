package casastream.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An exactly-once sink through many checkpoints on a real broker: every record is committed once,
 * and the broker ends up knowing only a few transactional ids per subtask, not one per checkpoint
 * (which it would keep for {@code transactional.id.expiration.ms}, 7 days by default).
 */
class ExactlyOnceSinkTransactionsTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TwoSlotCluster.create();

  private static final String TOPIC = "pooled-out";
  private static final String PREFIX = "pooled-sink";
  private static final int RECORDS = 150;
  private static final int PARALLELISM = 2;

  @Test
  void manyCheckpointsReuseAFewTransactionalIdsAndCommitEveryRecordOnce() throws Exception {
    KAFKA.createTopic(TOPIC, PARALLELISM);
    Configuration config = new Configuration();
    config.setString("execution.checkpointing.interval", "100 ms");
    config.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(PARALLELISM);
    env.fromSequence(1, RECORDS)
        .map(ExactlyOnceSinkTransactionsTest::slowly)
        .sinkTo(KafkaSinks.<Long>exactlyOnce(KAFKA.bootstrapServers(), PREFIX,
                new BytesToTopic<>(TOPIC, value -> null, ExactlyOnceSinkTransactionsTest::utf8))
            .build());
    long checkpoints = env.execute("pooled transactional ids").getJobExecutionResult()
        .getNetRuntime() / 100;

    List<ConsumerRecord<byte[], byte[]>> committed = KAFKA.readAllCommitted(TOPIC, Duration.ofSeconds(30));
    assertThat(committed).extracting(r -> Long.parseLong(new String(r.value(), StandardCharsets.UTF_8)))
        .as("every record committed once")
        .containsExactlyInAnyOrderElementsOf(
            LongStream.rangeClosed(1, RECORDS).boxed().toList());

    Set<String> ids = transactionalIds();
    assertThat(checkpoints).as("the job ran through many checkpoint intervals").isGreaterThan(15);
    assertThat(ids).as("transactional ids the broker knows for this sink").isNotEmpty()
        .allMatch(id -> id.startsWith(PREFIX));
    assertThat(ids.size()).as("ids %s after ~%d checkpoints", ids, checkpoints)
        .isLessThanOrEqualTo(4 * PARALLELISM);
  }

  private static Long slowly(Long value) throws InterruptedException {
    Thread.sleep(25);
    return value;
  }

  private static Set<String> transactionalIds() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      return admin.listTransactions().all().get().stream()
          .map(TransactionListing::transactionalId)
          .filter(id -> id.startsWith(PREFIX))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static byte[] utf8(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }
}
