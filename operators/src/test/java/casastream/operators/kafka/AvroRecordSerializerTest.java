package casastream.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroRecordSerializerTest {

  private static DeadLetter letter(String streamId) {
    return DeadLetter.newBuilder()
        .setSourceTopic("frames").setSourcePartition(0).setSourceOffset(5)
        .setSourceTimestamp(Instant.ofEpochMilli(10)).setStreamId(streamId)
        .setReason(DeadLetterReason.EMPTY_IMAGE).setDetail("empty")
        .setOriginalBytes(ByteBuffer.wrap(new byte[] {1})).setOriginalSize(1)
        .build();
  }

  @Test
  void theValueIsASingleObjectAvroMessageAndTheKeyUtf8() throws Exception {
    AvroRecordSerializer<DeadLetter, DeadLetter> serializer =
        new AvroRecordSerializer<>("frames-dlq", DeadLetter.class, DeadLetter::getStreamId, d -> d);

    ProducerRecord<byte[], byte[]> record = serializer.serialize(letter("cam-é"), null, 77L);

    assertThat(record.topic()).isEqualTo("frames-dlq");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("cam-é");
    assertThat(record.timestamp()).isEqualTo(77L);
    assertThat(AvroCodec.deadLetters().decode(record.value())).isEqualTo(letter("cam-é"));
  }

  @Test
  void aNullKeyWritesAMessageWithoutKey() {
    AvroRecordSerializer<DeadLetter, DeadLetter> serializer =
        new AvroRecordSerializer<>("frames-dlq", DeadLetter.class, DeadLetter::getStreamId, d -> d);

    assertThat(serializer.serialize(letter(null), null, null).key()).isNull();
  }

  @Test
  void itSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
    AvroRecordSerializer<DeadLetter, DeadLetter> serializer =
        new AvroRecordSerializer<>("frames-dlq", DeadLetter.class, DeadLetter::getStreamId, d -> d);
    serializer.serialize(letter("a"), null, null);

    AvroRecordSerializer<DeadLetter, DeadLetter> copy = InstantiationUtil.clone(serializer);

    assertThat(copy.serialize(letter("b"), null, null).key()).isEqualTo("b".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBlankTopicIsRefused() {
    assertThatThrownBy(() -> new AvroRecordSerializer<DeadLetter, DeadLetter>(" ", DeadLetter.class,
        DeadLetter::getStreamId, d -> d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("topic");
  }
}
