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
   * Transaction timeout of exactly-once sinks. Flink's default (1 hour) is above the broker's
   * transaction.max.timeout.ms (15 minutes by default), which makes every transaction fail and
   * the job restart forever. It must exceed the checkpoint interval plus the time a checkpoint takes.
   */
  public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

  private KafkaDefaults() {}
}
