package casastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  private final AvroCodec<Frame> frames = AvroCodec.frames();

  @Test
  void everyRecordTypeRoundTrips() throws Exception {
    assertThat(frames.decode(frames.encode(Samples.frame()))).isEqualTo(Samples.frame());
    AvroCodec<TextEvent> events = AvroCodec.textEvents();
    assertThat(events.decode(events.encode(Samples.textEvent()))).isEqualTo(Samples.textEvent());
    AvroCodec<StandingQuery> queries = AvroCodec.standingQueries();
    assertThat(queries.decode(queries.encode(Samples.standingQuery())))
        .isEqualTo(Samples.standingQuery());
    AvroCodec<DeadLetter> letters = AvroCodec.deadLetters();
    assertThat(letters.decode(letters.encode(Samples.deadLetter()))).isEqualTo(Samples.deadLetter());
  }

  @Test
  void messagesStartWithTheSingleObjectHeaderAndTheWriterFingerprint() {
    byte[] bytes = frames.encode(Samples.frame());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(SchemaNormalization.parsingFingerprint64(Frame.getClassSchema()));
  }

  @Test
  void bytesWithoutTheHeaderAreNotAvro() {
    assertReason(new byte[0], DecodeException.Reason.NOT_AVRO);
    assertReason(null, DecodeException.Reason.NOT_AVRO);
    assertReason(new byte[] {(byte) 0xC3, 0x01, 0, 0}, DecodeException.Reason.NOT_AVRO);
    assertReason("{\"streamId\":\"cam-7\"}".getBytes(), DecodeException.Reason.NOT_AVRO);
  }

  @Test
  void aHeaderWithAnUnknownFingerprintIsAnUnknownSchema() {
    byte[] bytes = frames.encode(Samples.frame());
    bytes[5] ^= 0x5A;

    assertThatThrownBy(() -> frames.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasFieldOrPropertyWithValue("reason", DecodeException.Reason.UNKNOWN_SCHEMA)
        .hasMessageContaining("withWriterSchemas");
  }

  @Test
  void aMessageOfAnotherRecordTypeIsAnUnknownSchema() {
    byte[] deadLetter = AvroCodec.deadLetters().encode(Samples.deadLetter());

    assertReason(deadLetter, DecodeException.Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void aTruncatedBodyIsCorrupt() {
    byte[] bytes = frames.encode(Samples.frame());

    for (int cut = 11; cut < bytes.length; cut += 3) {
      assertReason(Arrays.copyOf(bytes, cut), DecodeException.Reason.CORRUPT);
    }
  }

  @Test
  void trailingBytesAfterTheRecordAreCorrupt() {
    byte[] bytes = frames.encode(Samples.frame());

    assertReason(Arrays.copyOf(bytes, bytes.length + 2), DecodeException.Reason.CORRUPT);
  }

  @Test
  void aHugeDeclaredLengthIsCorruptWithoutAllocatingIt() throws Exception {
    // A valid header, then a stream id declaring Integer.MAX_VALUE - 8 bytes and nothing behind it.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(frames.encode(Samples.frame()), 10));
    BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, null);
    body.writeLong(Integer.MAX_VALUE - 8);
    body.flush();
    Runtime runtime = Runtime.getRuntime();
    long usedBefore = runtime.totalMemory() - runtime.freeMemory();

    assertReason(out.toByteArray(), DecodeException.Reason.CORRUPT);
    long usedAfter = runtime.totalMemory() - runtime.freeMemory();
    assertThat(usedAfter - usedBefore).isLessThan(256L << 20);
  }

  private void assertReason(byte[] bytes, DecodeException.Reason reason) {
    assertThatThrownBy(() -> frames.decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasFieldOrPropertyWithValue("reason", reason);
  }
}
