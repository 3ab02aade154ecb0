package casastream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node) inside the test JVM, started once
 * per test class:
 *
 * <pre>{@code @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();}</pre>
 *
 * <p>Configured for a single node (replication factors and min.insync.replicas 1, so transactions
 * work) and for frames (messages up to {@link #MAX_MESSAGE_BYTES}). Its log directories live in
 * java.io.tmpdir and are deleted when the class's tests end. Helpers produce and read raw bytes;
 * reads are always read_committed, as the job's consumers read.
 */
public final class InProcessKafka implements BeforeAllCallback, AfterAllCallback {

  /** The broker's and the helpers' message size limit: room for large frames. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> brokerProperties = new HashMap<>();
  private KafkaClusterTestKit cluster;
  private KafkaProducer<byte[], byte[]> producer;

  public InProcessKafka() {
    brokerProperties.put("offsets.topic.replication.factor", "1");
    brokerProperties.put("offsets.topic.num.partitions", "1");
    brokerProperties.put("transaction.state.log.replication.factor", "1");
    brokerProperties.put("transaction.state.log.min.isr", "1");
    brokerProperties.put("transaction.state.log.num.partitions", "1");
    brokerProperties.put("min.insync.replicas", "1");
    brokerProperties.put("group.initial.rebalance.delay.ms", "0");
    brokerProperties.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
  }

  /** Sets or overrides a broker property before start, e.g. a smaller transaction.max.timeout.ms. */
  public InProcessKafka withBrokerProperty(String name, Object value) {
    if (cluster != null) {
      throw new IllegalStateException("Broker property " + name
          + " set after the broker started: set it where the extension is declared");
    }
    brokerProperties.put(name, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    brokerProperties.forEach(builder::setConfigProp);
    cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    } finally {
      producer = null;
      KafkaClusterTestKit running = cluster;
      cluster = null;
      if (running != null) {
        running.close();
      }
    }
  }

  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** Creates a topic with replication factor 1 and room for {@link #MAX_MESSAGE_BYTES} messages. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1)
          .configs(Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
      admin.createTopics(List.of(topic)).all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topic " + name + ": " + e.getMessage(), e);
    }
  }

  /** Sends one record and waits until the broker has acknowledged it. */
  public void produce(String topic, byte[] key, byte[] value) {
    produce(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** Sends the records in order and waits until the broker has acknowledged all of them. */
  public void produce(List<ProducerRecord<byte[], byte[]>> records) {
    KafkaProducer<byte[], byte[]> sender = producer();
    try {
      List<Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        acks.add(sender.send(record));
      }
      sender.flush();
      for (Future<?> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while producing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The broker refused a record: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Reads the topic from the beginning with read_committed until at least {@code count} records
   * arrived, and returns them as polled (in order within each partition). Fails if fewer arrive
   * within the timeout.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int count, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
      assignFromBeginning(consumer, topic);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    if (records.size() < count) {
      throw new AssertionError("Expected at least " + count + " committed records on " + topic
          + " within " + timeout + " but read " + records.size());
    }
    return records;
  }

  /**
   * Reads every committed record of the topic: everything before each partition's last stable
   * offset at the time of the call. Use it after a job finished, to count exactly (duplicates
   * included).
   */
  public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
      List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
      // Under read_committed, endOffsets are the last stable offsets: nothing committed lies beyond.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Could not read " + topic + " up to its committed end "
              + ends + " within " + timeout + "; read " + records.size() + " records");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static List<TopicPartition> assignFromBeginning(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  private KafkaConsumer<byte[], byte[]> committedConsumer() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private KafkaClusterTestKit running() {
    if (cluster == null) {
      throw new IllegalStateException("The in-process Kafka broker is not running: register the"
          + " extension on a static field with @RegisterExtension so it starts before the tests");
    }
    return cluster;
  }
}
