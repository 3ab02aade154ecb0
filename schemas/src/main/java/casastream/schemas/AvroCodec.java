package casastream.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type with Avro single-object encoding: {@code 0xC3 0x01}, the
 * writer schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the Avro binary body. The
 * fingerprint lets a reader pick the writer's schema and resolve it to its own, without a registry.
 *
 * <p>The codec knows every released version of its type ({@link ReleasedSchemas}) plus any schema
 * given to {@link #withWriterSchemas}. Decoding never throws anything but {@link DecodeException}:
 * the body is first walked without allocating (Avro would otherwise allocate whatever length a
 * corrupt header declares), so garbage cannot exhaust the heap. Instances are immutable and
 * thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;
  private static final int HEADER_BYTES = 10;

  private final Class<T> type;
  private final Schema readerSchema;
  private final Map<Long, Schema> writerSchemas;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroCodec(Class<T> type, Map<Long, Schema> writerSchemas) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.writerSchemas = Map.copyOf(writerSchemas);
    this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    this.decoder = new BinaryMessageDecoder<>(model, readerSchema);
    writerSchemas.values().forEach(decoder::addSchema);
  }

  /** A codec for a generated record class, knowing its current schema and every released one. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    Map<Long, Schema> known = new LinkedHashMap<>();
    for (Schema released : ReleasedSchemas.of(type.getSimpleName())) {
      known.put(fingerprint(released), released);
    }
    Schema current = SpecificData.getForClass(type).getSchema(type);
    known.put(fingerprint(current), current);
    return new AvroCodec<>(type, known);
  }

  public static AvroCodec<Frame> frames() {
    return of(Frame.class);
  }

  public static AvroCodec<TextEvent> textEvents() {
    return of(TextEvent.class);
  }

  public static AvroCodec<StandingQuery> standingQueries() {
    return of(StandingQuery.class);
  }

  public static AvroCodec<DeadLetter> deadLetters() {
    return of(DeadLetter.class);
  }

  /**
   * A codec that also reads messages written with the given schemas, e.g. the .avsc files of a
   * newer release, so that a consumer built against an older release reads newer producers' bytes.
   */
  public AvroCodec<T> withWriterSchemas(Collection<Schema> schemas) {
    Map<Long, Schema> known = new LinkedHashMap<>(writerSchemas);
    for (Schema schema : schemas) {
      known.put(fingerprint(schema), schema);
    }
    return new AvroCodec<>(type, known);
  }

  /** The schema records are decoded into (the generated class's). */
  public Schema readerSchema() {
    return readerSchema;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | AvroRuntimeException e) {
      throw new IllegalArgumentException("Cannot encode " + type.getSimpleName()
          + ": a required field is missing or has the wrong type (" + e.getMessage() + ")", e);
    }
  }

  public T decode(byte[] bytes) throws DecodeException {
    if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new DecodeException(DecodeException.Reason.NOT_AVRO,
          "Not an Avro single-object message: expected the header 0xC3 0x01 followed by an 8-byte"
              + " schema fingerprint, got " + describeStart(bytes));
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Schema writer = writerSchemas.get(fingerprint);
    if (writer == null) {
      throw new DecodeException(DecodeException.Reason.UNKNOWN_SCHEMA,
          String.format("Unknown schema fingerprint 0x%016x for %s: the writer used a schema this"
              + " reader was not given; add its .avsc with withWriterSchemas or upgrade the reader",
              fingerprint, type.getSimpleName()));
    }
    checkBodyFits(writer, bytes);
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /** Walks the body with the writer schema ({@link BodyWalk}), so no declared length is allocated. */
  private void checkBodyFits(Schema writer, byte[] bytes) throws DecodeException {
    BinaryDecoder body =
        DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
    try {
      BodyWalk.walk(writer, body, bytes.length - HEADER_BYTES);
      if (!body.isEnd()) {
        throw new DecodeException(DecodeException.Reason.CORRUPT, "Corrupt " + type.getSimpleName()
            + " message: bytes remain after the record; the message was garbled or concatenated");
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  private DecodeException corrupt(Exception cause) {
    return new DecodeException(DecodeException.Reason.CORRUPT, "Corrupt " + type.getSimpleName()
        + " message: the body does not decode with the writer schema (" + cause + ")", cause);
  }

  static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static String describeStart(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return "an empty message";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 4); i++) {
      hex.append(String.format("%02x ", bytes[i]));
    }
    return bytes.length + " bytes starting " + hex.toString().trim();
  }
}
