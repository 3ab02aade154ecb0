package casastream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InProcessKafkaTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @Test
  void producedRecordsAreReadBackInOrderWithTheirKeys() {
    KAFKA.createTopic("plain", 1);
    KAFKA.produce("plain", bytes("cam-1"), bytes("a"));
    KAFKA.produce("plain", bytes("cam-1"), bytes("b"));

    List<ConsumerRecord<byte[], byte[]>> read = KAFKA.readCommitted("plain", 2, Duration.ofSeconds(20));

    assertThat(read).extracting(r -> text(r.key())).containsExactly("cam-1", "cam-1");
    assertThat(read).extracting(r -> text(r.value())).containsExactly("a", "b");
  }

  @Test
  void messagesLargerThanKafkasOneMegabyteDefaultPassThrough() {
    KAFKA.createTopic("large", 1);
    byte[] large = new byte[3 * 1024 * 1024];
    large[large.length - 1] = 7;

    KAFKA.produce("large", null, large);

    assertThat(KAFKA.readCommitted("large", 1, Duration.ofSeconds(20)).get(0).value()).isEqualTo(large);
  }

  @Test
  void readersSeeCommittedTransactionsOnlyAndNothingAborted() throws Exception {
    KAFKA.createTopic("transactional", 2);
    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactional", 0, null, bytes("aborted")));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactional", 0, null, bytes("committed-0")));
      producer.send(new ProducerRecord<>("transactional", 1, null, bytes("committed-1")));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactional", 1, null, bytes("still-open")));
      producer.flush();

      List<ConsumerRecord<byte[], byte[]>> read =
          KAFKA.readAllCommitted("transactional", Duration.ofSeconds(20));

      assertThat(read).extracting(r -> text(r.value()))
          .containsExactlyInAnyOrder("committed-0", "committed-1");
      producer.abortTransaction();
    }
  }

  @Test
  void readingMoreRecordsThanExistFailsAfterTheTimeout() {
    KAFKA.createTopic("short", 1);
    KAFKA.produce("short", null, bytes("only"));

    assertThatThrownBy(() -> KAFKA.readCommitted("short", 2, Duration.ofMillis(500)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("read 1");
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer() {
    Properties config = new Properties();
    config.putAll(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-test",
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000));
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
