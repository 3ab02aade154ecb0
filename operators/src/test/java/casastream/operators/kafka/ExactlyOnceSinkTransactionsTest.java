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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An exactly-once sink through many checkpoints and a failure on a real broker: every record is
 * committed once, although the job fails midway and restores from its last checkpoint, and the
 * broker ends up knowing only a few transactional ids per subtask, not one per checkpoint (which it
 * would keep for {@code transactional.id.expiration.ms}, 7 days by default).
 */
class ExactlyOnceSinkTransactionsTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TwoSlotCluster.create();

  private static final String TOPIC = "pooled-out";
  private static final String PREFIX = "pooled-sink";
  private static final int RECORDS = 150;
  private static final int PARALLELISM = 2;
  /** The record that fails the job once, after a checkpoint has completed. */
  private static final long FAILING_RECORD = 40;

  private static final AtomicBoolean CHECKPOINT_COMPLETED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  @Test
  void manyCheckpointsAndARestoreReuseAFewTransactionalIdsAndCommitEveryRecordOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    KAFKA.createTopic(TOPIC, PARALLELISM);
    CHECKPOINT_COMPLETED.set(false);
    FAILED.set(false);
    Configuration config = new Configuration();
    config.setString("execution.checkpointing.interval", "100 ms");
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(PARALLELISM);
    env.fromSequence(1, RECORDS)
        .map(new SlowlyFailingOnce())
        .sinkTo(KafkaSinks.<Long>exactlyOnce(KAFKA.bootstrapServers(), PREFIX,
                new BytesToTopic<>(TOPIC, value -> null, ExactlyOnceSinkTransactionsTest::utf8))
            .build());
    JobClient job = env.executeAsync("pooled transactional ids");
    job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    CheckpointStatsCounts checkpoints = cluster.getExecutionGraph(job.getJobID()).get()
        .getCheckpointStatsSnapshot().getCounts();

    List<ConsumerRecord<byte[], byte[]>> committed = KAFKA.readAllCommitted(TOPIC, Duration.ofSeconds(30));
    assertThat(committed).extracting(r -> Long.parseLong(new String(r.value(), StandardCharsets.UTF_8)))
        .as("every record committed once")
        .containsExactlyInAnyOrderElementsOf(
            LongStream.rangeClosed(1, RECORDS).boxed().toList());

    assertThat(FAILED).as("the job failed once midway").isTrue();
    assertThat(checkpoints.getNumberOfRestoredCheckpoints()).as("restores from a checkpoint").isEqualTo(1);
    assertThat(checkpoints.getNumberOfCompletedCheckpoints()).as("completed checkpoints").isGreaterThan(15);
    Set<String> ids = transactionalIds();
    assertThat(ids).as("transactional ids the broker knows for this sink").isNotEmpty()
        .allMatch(id -> id.startsWith(PREFIX));
    assertThat(ids.size()).as("ids %s after %d completed checkpoints", ids, checkpoints.getNumberOfCompletedCheckpoints())
        .isLessThanOrEqualTo(4 * PARALLELISM);
  }

  /**
   * Passes records on slowly, and fails the job once, from {@link #FAILING_RECORD} on, when a
   * checkpoint has completed and a few records have passed since: they are in the sink's open
   * transaction, and will come again from the restored source.
   */
  private static final class SlowlyFailingOnce implements MapFunction<Long, Long>, CheckpointListener {

    private int sinceCheckpoint;

    @Override
    public Long map(Long value) throws InterruptedException {
      Thread.sleep(25);
      sinceCheckpoint++;
      if (value >= FAILING_RECORD && CHECKPOINT_COMPLETED.get() && sinceCheckpoint >= 3
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("failure injected at record " + value);
      }
      return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINT_COMPLETED.set(true);
      sinceCheckpoint = 0;
    }
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
