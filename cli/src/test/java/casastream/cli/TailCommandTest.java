package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.embedded.EmbeddedKafka;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TailCommandTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBrokerWithCommittedAndAbortedEvents() {
    kafka = EmbeddedKafka.start("localhost", 0);
    AvroCodec<TextEvent> codec = AvroCodec.textEvents();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tail-test"), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      send(producer, codec, TestEvents.event("cam-1", 1, TextEventKind.CAPTION, "a red circle", null));
      send(producer, codec, TestEvents.event("cam-2", 1, TextEventKind.CAPTION, "nothing", null));
      send(producer, codec, TestEvents.event("dock-1", 2, TextEventKind.ALERT, "yes", "bay"));
      producer.commitTransaction();
      // What an exactly-once sink writes before a failure: never committed, never shown.
      producer.beginTransaction();
      send(producer, codec, TestEvents.event("cam-1", 2, TextEventKind.CAPTION, "aborted text", null));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      send(producer, codec, TestEvents.event("cam-1", 3, TextEventKind.CAPTION, "a blue square", null));
      producer.commitTransaction();
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void printsOnlyCommittedEventsInJson() throws Exception {
    CliRun run = CliRun.of("tail", "--bootstrap", kafka.bootstrapServers(), "--from-beginning", "--json",
        "--max", "4", "--timeout", "30");

    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).extracting(n -> n.get("text").asText())
        .containsExactlyInAnyOrder("a red circle", "nothing", "yes", "a blue square");
  }

  @Test
  void filtersByStreamPrefixAndKind() {
    CliRun alerts = CliRun.of("tail", "--bootstrap", kafka.bootstrapServers(), "--from-beginning",
        "--stream", "dock-*", "--kind", "ALERT", "--max", "1", "--timeout", "30");
    assertThat(alerts.exitCode()).isZero();
    assertThat(alerts.out()).contains("dock-1  #2  ALERT  [bay] yes").doesNotContain("cam-");

    CliRun cam1 = CliRun.of("tail", "--bootstrap", kafka.bootstrapServers(), "--from-beginning",
        "--stream", "cam-1", "--timeout", "3");
    assertThat(cam1.exitCode()).isZero();
    assertThat(cam1.out().strip().lines()).hasSize(2);
    assertThat(cam1.out()).contains("a red circle").contains("a blue square").doesNotContain("aborted");
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, AvroCodec<TextEvent> codec, TextEvent event) {
    producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS,
        event.getStreamId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
  }
}
