package casastream.operators.kafka;

import java.time.Duration;

/** Client settings every job shares; see schemas/README.md for raising the size limit end to end. */
public final class KafkaDefaults {

  /**
   * Largest message the job's clients send or fetch. Kafka's own default is 1 MiB; frames need
   * more. Brokers and topics must allow it too (message.max.bytes, max.message.bytes).
   */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /**
   * How much of one partition a fetch takes at most. Small, so that a backlog (a restart, an
   * outage caught up) is read a little of every partition at a time: frames of many streams then
   * wait together and the model batches them, where reading one partition's whole backlog first
   * gives steps of only that partition's streams. A message larger than this is still fetched (Kafka
   * returns the first record batch whatever its size), so frames of any size up to
   * {@link #MAX_MESSAGE_BYTES} are read.
   */
  public static final int PARTITION_FETCH_BYTES = 64 * 1024;

  /**
   * Transaction timeout of exactly-once sinks. Flink's default (1 hour) is above the broker's
   * transaction.max.timeout.ms (15 minutes by default), which makes every transaction fail and
   * the job restart forever. It must exceed the checkpoint interval plus the time a checkpoint takes.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

  private KafkaDefaults() {}
}
