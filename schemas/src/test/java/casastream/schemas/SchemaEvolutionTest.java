package casastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Version N reads version N+1 and the other way round. The "next" versions live in test resources
 * (evolution/*.avsc): each adds a field with a default, and Frame's encoding enum gains a symbol.
 */
class SchemaEvolutionTest {

  @Test
  void aCurrentFrameReaderReadsNextVersionBytesWhenGivenTheNextSchema() throws Exception {
    Schema next = load("Frame");
    GenericRecord written = asNext(Samples.frame(), next);
    written.put("exposureMicros", 1500L);
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(written).array();

    Frame read = AvroCodec.frames().withWriterSchemas(List.of(next)).decode(bytes);

    assertThat(read).isEqualTo(Samples.frame());
  }

  @Test
  void anEncodingAddedLaterReadsAsUnknownInTheCurrentVersion() throws Exception {
    Schema next = load("Frame");
    GenericRecord written = asNext(Samples.frame(), next);
    Schema encoding = next.getField("encoding").schema();
    written.put("encoding", new GenericData.EnumSymbol(encoding, "WEBP"));
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(written).array();

    Frame read = AvroCodec.frames().withWriterSchemas(List.of(next)).decode(bytes);

    assertThat(read.getEncoding()).isEqualTo(FrameEncoding.UNKNOWN);
  }

  @Test
  void withoutTheNextSchemaItsBytesAreAnUnknownSchema() throws Exception {
    Schema next = load("Frame");
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next)
        .encode(asNext(Samples.frame(), next)).array();

    assertThatThrownBy(() -> AvroCodec.frames().decode(bytes))
        .isInstanceOf(DecodeException.class)
        .hasFieldOrPropertyWithValue("reason", DecodeException.Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void aNextVersionFrameReaderReadsCurrentBytesWithTheDefault() throws Exception {
    Schema next = load("Frame");
    byte[] bytes = AvroCodec.frames().encode(Samples.frame());
    BinaryMessageDecoder<GenericRecord> reader = new BinaryMessageDecoder<>(GenericData.get(), next);
    reader.addSchema(Frame.getClassSchema());

    GenericRecord read = reader.decode(bytes);

    assertThat(read.get("exposureMicros")).isNull();
    assertThat(read.get("streamId").toString()).isEqualTo("cam-7");
    assertThat(read.get("sequence")).isEqualTo(42L);
  }

  @Test
  void textEventsEvolveBothWays() throws Exception {
    Schema next = load("TextEvent");
    GenericRecord written = asNext(Samples.textEvent(), next);
    written.put("language", "fr");
    byte[] nextBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(written).array();

    TextEvent readByCurrent = AvroCodec.textEvents().withWriterSchemas(List.of(next)).decode(nextBytes);
    BinaryMessageDecoder<GenericRecord> nextReader = new BinaryMessageDecoder<>(GenericData.get(), next);
    nextReader.addSchema(TextEvent.getClassSchema());
    GenericRecord readByNext = nextReader.decode(AvroCodec.textEvents().encode(Samples.alert()));

    assertThat(readByCurrent).isEqualTo(Samples.textEvent());
    assertThat(((GenericRecord) readByNext.get("alertFrames")).get("lastOffset")).isEqualTo(1_042L);
    assertThat(readByNext.get("language").toString()).isEqualTo("en");
    assertThat(readByNext.get("text").toString()).isEqualTo("yes");
  }

  @Test
  void aVersion1ReaderReadsTheFrameOffsetsOfVersion2AlertsAsAPlainEvent() throws Exception {
    Schema v1 = ReleasedSchemas.of("TextEvent").get(0);
    byte[] bytes = AvroCodec.textEvents().encode(Samples.alert());
    BinaryMessageDecoder<GenericRecord> v1Reader = new BinaryMessageDecoder<>(GenericData.get(), v1);
    v1Reader.addSchema(TextEvent.getClassSchema());

    GenericRecord read = v1Reader.decode(bytes);

    assertThat(read.getSchema().getField("source")).isNull();
    assertThat(read.get("kind").toString()).isEqualTo("ALERT");
    assertThat(read.get("streamId").toString()).isEqualTo("cam-7");
    assertThat(read.get("frameSequence")).isEqualTo(42L);
  }

  @Test
  void version1EventsReadWithoutFrameOffsets() throws Exception {
    Schema v1 = ReleasedSchemas.of("TextEvent").get(0);
    GenericRecord written = new GenericData.Record(v1);
    TextEvent sample = Samples.textEvent();
    for (Schema.Field field : v1.getFields()) {
      written.put(field.name(), sample.get(field.name()));
    }
    written.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "ANSWER"));
    written.put("captureTime", sample.getCaptureTime().toEpochMilli());
    written.put("emitTime", sample.getEmitTime().toEpochMilli());
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written).array();

    TextEvent read = AvroCodec.textEvents().decode(bytes);

    assertThat(read.getSource()).isNull();
    assertThat(read.getAlertFrames()).isNull();
    assertThat(read).isEqualTo(sample);
  }

  @Test
  void alertFrameRangesSurviveTheRoundTrip() throws Exception {
    TextEvent read = AvroCodec.textEvents().decode(AvroCodec.textEvents().encode(Samples.alert()));

    assertThat(read.getSource().getOffset()).isEqualTo(1_042L);
    assertThat(read.getAlertFrames().getFirstOffset()).isEqualTo(1_030L);
    assertThat(read.getAlertFrames().getFrames()).isEqualTo(5);
  }

  /** The record's fields copied into a next-version generic record (the added field keeps its default). */
  private static GenericRecord asNext(SpecificRecord record, Schema next) throws IOException {
    ByteBuffer bytes = new BinaryMessageEncoder<SpecificRecord>(
        SpecificData.getForClass(record.getClass()), record.getSchema()).encode(record);
    BinaryMessageDecoder<GenericRecord> asGeneric =
        new BinaryMessageDecoder<>(GenericData.get(), next);
    asGeneric.addSchema(record.getSchema());
    return asGeneric.decode(bytes);
  }

  private static Schema load(String name) throws IOException {
    try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/evolution/" + name + ".avsc")) {
      return new Schema.Parser().parse(in);
    }
  }
}
