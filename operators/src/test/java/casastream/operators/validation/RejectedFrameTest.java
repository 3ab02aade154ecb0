package casastream.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RejectedFrameTest {

  @Test
  void theOriginalBytesAreCutToTheBoundAndTheFullSizeKept() {
    byte[] value = new byte[RejectedFrame.MAX_ORIGINAL_BYTES + 1000];
    value[0] = 42;
    RawKafkaRecord record = new RawKafkaRecord("frames", 2, 99, 1234L, null, value);

    RejectedFrame rejected = RejectedFrame.of(record,
        new FrameRejection(DeadLetterReason.FRAME_TOO_LARGE, "too large"));

    assertThat(rejected.originalBytes).hasSize(RejectedFrame.MAX_ORIGINAL_BYTES);
    assertThat(rejected.originalBytes[0]).isEqualTo((byte) 42);
    assertThat(rejected.originalSize).isEqualTo(value.length);
  }

  @Test
  void theDeadLetterCarriesProvenanceReasonAndBytes() {
    RawKafkaRecord record = new RawKafkaRecord("frames", 2, 99, 1234L, null, new byte[] {7, 8});

    DeadLetter letter = RejectedFrame.of(record,
        new FrameRejection(DeadLetterReason.NOT_AVRO, "not avro")).toDeadLetter();

    assertThat(letter.getSourceTopic()).isEqualTo("frames");
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(99);
    assertThat(letter.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(1234));
    assertThat(letter.getStreamId()).isNull();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.NOT_AVRO);
    assertThat(letter.getDetail()).isEqualTo("not avro");
    assertThat(letter.getOriginalBytes()).isEqualTo(ByteBuffer.wrap(new byte[] {7, 8}));
    assertThat(letter.getOriginalSize()).isEqualTo(2);
  }

  @Test
  void aTombstoneBecomesAnEmptyOriginal() {
    RawKafkaRecord tombstone = new RawKafkaRecord("frames", 0, 1, 0L, null, null);

    RejectedFrame rejected = RejectedFrame.of(tombstone, new FrameRejection(DeadLetterReason.NOT_AVRO, "empty"));

    assertThat(rejected.originalBytes).isEmpty();
    assertThat(rejected.originalSize).isZero();
  }
}
