package casastream.cli.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.operators.kafka.KafkaDefaults;
import casastream.operators.kafka.Topics;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import casastream.testkit.ListeningSockets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @Test
  void listensOnTheRequestedPortWithTheJobsTopicsSizedForFrames() throws Exception {
    int port = ListeningSockets.freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", port)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
      KafkaAccess access = new KafkaAccess("localhost:" + port);
      try (Admin admin = access.admin()) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(
            Topics.FRAMES, Topics.FRAMES_DLQ, Topics.TEXT_EVENTS, Topics.QUERIES, Topics.FRAMES_LATE);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
            new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES),
            new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERIES))).all().get(30, TimeUnit.SECONDS);
        assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES))
            .get("max.message.bytes").value()).isEqualTo(String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
        assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERIES))
            .get("cleanup.policy").value()).isEqualTo("compact");
      }

      // A frame-sized message (5 MiB, over Kafka's 1 MiB default) goes through the fixed address.
      byte[] big = new byte[5 * 1024 * 1024];
      try (KafkaProducer<byte[], byte[]> producer = access.producer()) {
        producer.send(new ProducerRecord<>(Topics.FRAMES, "cam-1".getBytes(), big)).get(30, TimeUnit.SECONDS);
      }
      List<ConsumerRecord<byte[], byte[]>> read = readFrames(access);
      assertThat(read).hasSize(1);
      assertThat(read.get(0).value()).hasSize(big.length);
    }
  }

  @Test
  void aDataDirectoryKeepsTopicsAndRecordsAcrossARestartAndEveryListenerIsOnLoopback(@TempDir Path data)
      throws Exception {
    int port = ListeningSockets.freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", port, data)) {
      try (KafkaProducer<byte[], byte[]> producer = new KafkaAccess(kafka.bootstrapServers()).producer()) {
        producer.send(new ProducerRecord<>(Topics.FRAMES, "cam-1".getBytes(), "kept".getBytes())).get(30, TimeUnit.SECONDS);
      }
      assertThat(ListeningSockets.ofThisProcess()).as("the broker's listeners, controller included")
          .allSatisfy(l -> assertThat(l.loopback()).as("%s", l).isTrue());
    }
    try (EmbeddedKafka again = EmbeddedKafka.start("localhost", port, data)) {
      assertThat(readFrames(new KafkaAccess(again.bootstrapServers())))
          .extracting(r -> new String(r.value())).containsExactly("kept");
    }
  }

  @Test
  void aTakenPortIsAClearErrorThatSaysHowToChooseAnother() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.start("localhost", port))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("localhost:" + port)
          .hasMessageContaining("in use")
          .hasMessageContaining("--kafka-listen");
    }
  }

  /** The committed records of the frames topic from the beginning, once at least one came (30 s at most). */
  private static List<ConsumerRecord<byte[], byte[]>> readFrames(KafkaAccess access) {
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = access.committedConsumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.FRAMES).stream()
          .map(p -> new TopicPartition(Topics.FRAMES, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
    }
    return read;
  }

}
