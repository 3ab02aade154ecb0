package casastream.cli.tools;

import casastream.operators.kafka.KafkaDefaults;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients the tools use, all pointed at one bootstrap address and sized for frames
 * ({@link KafkaDefaults#MAX_MESSAGE_BYTES}). {@link #requireReachable()} turns "no broker there"
 * into one clear {@link BrokerUnreachableException} instead of clients that retry forever.
 */
public final class KafkaAccess {

  /** What the tools use when no --bootstrap is given: the broker `demo` embeds. */
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  private static final Duration REACH_TIMEOUT = Duration.ofSeconds(5);

  private final String bootstrapServers;

  public KafkaAccess(String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ToolException("The bootstrap address is empty: give HOST:PORT[,HOST:PORT...] of a"
          + " Kafka broker, e.g. " + DEFAULT_BOOTSTRAP);
    }
    this.bootstrapServers = bootstrapServers.trim();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Fails fast, with a message that says how to start a broker, when none answers. */
  public void requireReachable() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("Interrupted while contacting Kafka at " + bootstrapServers, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new BrokerUnreachableException(bootstrapServers, e);
    }
  }

  /** An admin client with short timeouts, so that a missing broker is reported in seconds. */
  public Admin admin() {
    Map<String, Object> config = common();
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis());
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT.toMillis());
    try {
      return Admin.create(config);
    } catch (KafkaException e) {
      throw new BrokerUnreachableException(bootstrapServers, e);
    }
  }

  /** An idempotent producer of raw bytes that accepts messages up to the frame size limit. */
  public KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = common();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaDefaults.MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * KafkaDefaults.MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REACH_TIMEOUT.toMillis() * 3);
    try {
      return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new BrokerUnreachableException(bootstrapServers, e);
    }
  }

  /**
   * A consumer of raw bytes in its own throw-away group (the tools assign partitions themselves and
   * never commit offsets), reading only committed transactions: what the job's exactly-once sink
   * has made final.
   */
  public KafkaConsumer<byte[], byte[]> committedConsumer() {
    Map<String, Object> config = common();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "casa-stream-tool-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A tool asking for a topic must not create it with the broker's defaults (1 MiB messages).
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaDefaults.MAX_MESSAGE_BYTES);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, KafkaDefaults.MAX_MESSAGE_BYTES);
    try {
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      throw new BrokerUnreachableException(bootstrapServers, e);
    }
  }

  private Map<String, Object> common() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "casa-stream-tool");
    return config;
  }
}
