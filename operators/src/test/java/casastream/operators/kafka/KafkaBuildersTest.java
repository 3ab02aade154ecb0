package casastream.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KafkaBuildersTest {

  @Test
  void sourcesNameTheMissingSetting() {
    assertThatThrownBy(() -> KafkaSources.rawRecords("", "group", "frames"))
        .hasMessageStartingWith("bootstrapServers");
    assertThatThrownBy(() -> KafkaSources.rawRecords("localhost:9092", " ", "frames"))
        .hasMessageStartingWith("groupId");
    assertThatThrownBy(() -> KafkaSources.rawRecords("localhost:9092", "group"))
        .hasMessageStartingWith("topics");
  }

  @Test
  void sinksNameTheMissingSetting() {
    assertThatThrownBy(() -> KafkaSinks.exactlyOnce("localhost:9092", "", (e, c, t) -> null))
        .hasMessageStartingWith("transactionalIdPrefix");
    assertThatThrownBy(() -> KafkaSinks.<String>exactlyOnce("localhost:9092", "p", null))
        .hasMessageStartingWith("serializer");
    assertThatThrownBy(() -> KafkaSinks.<String>exactlyOnce("localhost:9092", "p", (e, c, t) -> null))
        .hasMessageContaining("does not name its topics");
  }

  @Test
  void aSourceReadsForeverUnlessBounded() {
    assertThat(KafkaSources.rawRecords("localhost:9092", "group", "frames").build().getBoundedness())
        .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
  }

  @Test
  void theDeserializerKeepsProvenanceKeyAndValue() throws Exception {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("frames", 3, 41L, new byte[] {1}, new byte[] {2, 3});
    List<RawKafkaRecord> out = new ArrayList<>();

    new RawKafkaRecordDeserializer().deserialize(record, new ListCollector<>(out));

    assertThat(out).containsExactly(
        new RawKafkaRecord("frames", 3, 41L, record.timestamp(), new byte[] {1}, new byte[] {2, 3}));
  }
}
