package casastream.operators.reliability;

import static casastream.operators.reliability.CorpusFrames.encode;
import static casastream.operators.reliability.CorpusFrames.frame;
import static casastream.operators.reliability.CorpusFrames.utf8;

import casastream.operators.validation.ValidationOptions;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * The hostile corpus: every kind of broken, oversized or malicious frame message we know of, each
 * with the dead-letter reason the validation stage must give it. Generated, not stored: the same
 * clock and directory give the same bytes, and each case reads as what it is.
 *
 * <p>Covers bytes that are not Avro, unknown schema fingerprints, corrupt Avro bodies, frames far
 * over the size limit, empty, huge, non-UTF-8 and mismatched stream ids, negative and far-future
 * capture times, impossible and contradicting dimensions, zero-byte, truncated, damaged and
 * mislabelled images, image headers declaring enormous sizes, and image references that are
 * malformed, of other schemes, outside the allowed directory, missing or too large.
 */
final class HostileCorpus {

  /** The stream id of every hostile frame whose stream id is itself fine. */
  static final String STREAM = "cam-hostile";
  /** The size limit the corpus is built against: small, so oversized frames stay cheap to send. */
  static final int MAX_FRAME_BYTES = 1024 * 1024;
  static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  private static final byte[] KEY = utf8(STREAM);
  private static final String ALLOWED_DIR = "allowed";

  private final long now;
  private final Path directory;
  private final List<HostileInput> inputs = new ArrayList<>();
  private long sequence;

  private HostileCorpus(long nowMillis, Path directory) {
    this.now = nowMillis;
    this.directory = directory;
  }

  /** The validation limits the corpus is built against; file: URIs are read inside the directory. */
  static ValidationOptions options(Path directory) {
    return ValidationOptions.builder()
        .maxFrameBytes(MAX_FRAME_BYTES)
        .maxFutureSkew(MAX_FUTURE_SKEW)
        .fileUriRoot(allowedRoot(directory))
        .build();
  }

  /** The directory file: URIs may point into; {@link #generate} creates it. */
  static Path allowedRoot(Path directory) {
    return directory.toAbsolutePath().resolve(ALLOWED_DIR);
  }

  /**
   * @param nowMillis the clock the validation stage will run with (capture times are relative to it)
   * @param directory an empty directory for the files that image references point to
   */
  static List<HostileInput> generate(long nowMillis, Path directory) {
    HostileCorpus corpus = new HostileCorpus(nowMillis, directory);
    corpus.notAvro();
    corpus.corruptAvro();
    corpus.streamIds();
    corpus.sequenceAndTime();
    corpus.dimensions();
    corpus.images();
    corpus.references();
    return List.copyOf(corpus.inputs);
  }

  private void notAvro() {
    add("empty message value", KEY, new byte[0], DeadLetterReason.NOT_AVRO);
    add("JSON text instead of Avro", KEY, utf8("{\"streamId\": \"cam-hostile\", \"sequence\": 1}"),
        DeadLetterReason.NOT_AVRO);
    byte[] noise = new byte[512];
    new Random(7).nextBytes(noise);
    noise[0] = 0x7F;
    add("512 random bytes", KEY, noise, DeadLetterReason.NOT_AVRO);
    add("Avro magic without the fingerprint", KEY, new byte[] {(byte) 0xC3, 0x01, 0x42},
        DeadLetterReason.NOT_AVRO);
  }

  private void corruptAvro() {
    byte[] whole = encode(jpegFrame());
    byte[] unknown = whole.clone();
    unknown[5] ^= 0x5A;
    add("unknown schema fingerprint", KEY, unknown, DeadLetterReason.UNKNOWN_SCHEMA);
    add("header without a body", KEY, Arrays.copyOf(whole, 10), DeadLetterReason.CORRUPT_RECORD);
    add("Avro body cut in half", KEY, Arrays.copyOf(encode(jpegFrame()), whole.length / 2),
        DeadLetterReason.CORRUPT_RECORD);
    byte[] trailing = encode(jpegFrame());
    add("bytes after the record", KEY, Arrays.copyOf(trailing, trailing.length + 3),
        DeadLetterReason.CORRUPT_RECORD);
    add("stream id declaring a length of 1 GB", KEY, body(header(), out -> {
      out.writeLong(1_000_000_000L);
      out.writeFixed(utf8("cam"));
    }), DeadLetterReason.CORRUPT_RECORD);
    add("encoding enum index out of range", KEY, body(header(), out -> {
      writeFrameFields(out, 17, 8, 8, 0, new byte[192]);
      out.writeMapStart();
      out.writeMapEnd();
    }), DeadLetterReason.CORRUPT_RECORD);
    add("image union branch out of range", KEY, body(header(), out -> {
      writeFrameFields(out, FrameEncoding.RAW_RGB.ordinal(), 8, 8, 9, new byte[192]);
      out.writeMapStart();
      out.writeMapEnd();
    }), DeadLetterReason.CORRUPT_RECORD);
    add("attributes map declaring 2^30 entries in a 4-byte block", KEY, body(header(), out -> {
      writeFrameFields(out, FrameEncoding.RAW_RGB.ordinal(), 1, 1, 0, new byte[3]);
      // A negative count is followed by the block's size in bytes: decoders size the map by the
      // count (gigabytes), skippers jump by the size (4 bytes). Then one real entry and the end.
      out.writeLong(-(1L << 30));
      out.writeLong(4);
      out.writeString("k");
      out.writeString("v");
      out.writeLong(0);
    }), DeadLetterReason.CORRUPT_RECORD);
    add("attributes map block whose byte size hides a 2 GB key", KEY, body(header(), out -> {
      writeFrameFields(out, FrameEncoding.RAW_RGB.ordinal(), 1, 1, 0, new byte[3]);
      // One entry in a block of 6 bytes, which a skipper jumps over unread; its key claims 2 GB.
      out.writeLong(-1);
      out.writeLong(6);
      out.writeLong(2_000_000_000L);
      out.writeFixed(utf8("k"));
      out.writeLong(0);
    }), DeadLetterReason.CORRUPT_RECORD);
    byte[] huge = new byte[6 * MAX_FRAME_BYTES];
    add("frame six times over the size limit", KEY, encode(frame(STREAM, nextSequence(), now,
        FrameEncoding.RAW_RGB, 1024, 2048, huge)), DeadLetterReason.FRAME_TOO_LARGE);
  }

  private void streamIds() {
    add("empty stream id", new byte[0], encode(rawFrame("")), DeadLetterReason.EMPTY_STREAM_ID);
    String longId = "x".repeat(100_000);
    add("stream id of 100 000 bytes", utf8(longId), encode(rawFrame(longId)),
        DeadLetterReason.STREAM_ID_TOO_LONG);
    byte[] notUtf8 = {'c', 'a', 'm', '-', (byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0x80};
    add("stream id bytes that are not UTF-8", notUtf8, body(header(), out -> {
      out.writeString(new Utf8(notUtf8));
      out.writeLong(nextSequence());
      out.writeLong(now);
      out.writeEnum(FrameEncoding.RAW_RGB.ordinal());
      out.writeInt(8);
      out.writeInt(8);
      out.writeIndex(0);
      out.writeBytes(CorpusImages.rawRgb(8, 8, 3));
      out.writeMapStart();
      out.writeMapEnd();
    }), DeadLetterReason.INVALID_STREAM_ID);
    String control = "cam\u0000\n\u001b[2J";
    add("stream id with control characters", utf8(control), encode(rawFrame(control)),
        DeadLetterReason.INVALID_STREAM_ID);
    add("key of another stream", utf8("cam-other"), encode(rawFrame(STREAM)),
        DeadLetterReason.KEY_MISMATCH);
    add("key that is not UTF-8", new byte[] {(byte) 0xC3, (byte) 0x28}, encode(rawFrame(STREAM)),
        DeadLetterReason.KEY_MISMATCH);
  }

  private void sequenceAndTime() {
    add("negative sequence", KEY, encode(rawFrame(STREAM).setSequence(-1)),
        DeadLetterReason.NEGATIVE_SEQUENCE);
    add("capture time before 1970", KEY, encode(rawFrame(STREAM)
        .setCaptureTime(Instant.ofEpochMilli(-86_400_000L))), DeadLetterReason.NEGATIVE_CAPTURE_TIME);
    add("capture time at the smallest long", KEY, encode(rawFrame(STREAM)
        .setCaptureTime(Instant.ofEpochMilli(Long.MIN_VALUE))), DeadLetterReason.NEGATIVE_CAPTURE_TIME);
    add("capture time in the year 2100", KEY, encode(rawFrame(STREAM)
        .setCaptureTime(Instant.parse("2100-01-01T00:00:00Z"))), DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
    add("capture time an hour ahead", KEY, encode(rawFrame(STREAM)
        .setCaptureTime(Instant.ofEpochMilli(now + 3_600_000L))), DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
    add("capture time at the largest long", KEY, encode(rawFrame(STREAM)
        .setCaptureTime(Instant.ofEpochMilli(Long.MAX_VALUE))), DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
  }

  private void dimensions() {
    byte[] jpeg = CorpusImages.jpeg(96, 72, 40);
    byte[] png = CorpusImages.png(80, 80, 40);
    add("encoding UNKNOWN, a symbol from a newer producer", KEY,
        encode(rawFrame(STREAM).setEncoding(FrameEncoding.UNKNOWN)), DeadLetterReason.UNSUPPORTED_ENCODING);
    add("width zero", KEY, encode(rawFrame(STREAM).setWidth(0)), DeadLetterReason.INVALID_DIMENSIONS);
    add("negative height", KEY, encode(rawFrame(STREAM).setHeight(-8)), DeadLetterReason.INVALID_DIMENSIONS);
    add("declared 100 000 x 10", KEY, encode(rawFrame(STREAM).setWidth(100_000).setHeight(10)),
        DeadLetterReason.DIMENSIONS_TOO_LARGE);
    add("declared size contradicts the JPEG", KEY, encode(image(FrameEncoding.JPEG, 72, 96, jpeg)),
        DeadLetterReason.DIMENSION_MISMATCH);
    add("declared size contradicts the PNG", KEY, encode(image(FrameEncoding.PNG, 80, 81, png)),
        DeadLetterReason.DIMENSION_MISMATCH);
    add("RAW_RGB with too few bytes", KEY, encode(image(FrameEncoding.RAW_RGB, 8, 8, new byte[191])),
        DeadLetterReason.RAW_SIZE_MISMATCH);
  }

  private void images() {
    byte[] jpeg = CorpusImages.jpeg(96, 72, 40);
    byte[] png = CorpusImages.png(80, 80, 40);
    add("zero-byte JPEG", KEY, encode(image(FrameEncoding.JPEG, 96, 72, new byte[0])),
        DeadLetterReason.EMPTY_IMAGE);
    add("zero-byte PNG", KEY, encode(image(FrameEncoding.PNG, 80, 80, new byte[0])),
        DeadLetterReason.EMPTY_IMAGE);
    add("JPEG cut in half", KEY, encode(image(FrameEncoding.JPEG, 96, 72,
        Arrays.copyOf(jpeg, jpeg.length / 2))), DeadLetterReason.TRUNCATED_IMAGE);
    add("PNG cut in half", KEY, encode(image(FrameEncoding.PNG, 80, 80,
        Arrays.copyOf(png, png.length / 2))), DeadLetterReason.TRUNCATED_IMAGE);
    add("JPEG header declares 65000 x 65000", KEY, encode(image(FrameEncoding.JPEG, 96, 72,
        CorpusImages.jpegClaiming(jpeg, 65_000, 65_000))), DeadLetterReason.DIMENSIONS_TOO_LARGE);
    add("PNG header declares 50000 x 50000", KEY, encode(image(FrameEncoding.PNG, 80, 80,
        CorpusImages.pngClaiming(png, 50_000, 50_000))), DeadLetterReason.DIMENSIONS_TOO_LARGE);
    add("PNG header declares 2^31-1 x 2^31-1", KEY, encode(image(FrameEncoding.PNG, 80, 80,
        CorpusImages.pngClaiming(png, Integer.MAX_VALUE, Integer.MAX_VALUE))),
        DeadLetterReason.DIMENSIONS_TOO_LARGE);
    add("PNG bytes declared as JPEG", KEY, encode(image(FrameEncoding.JPEG, 80, 80, png)),
        DeadLetterReason.ENCODING_MISMATCH);
    add("JPEG bytes declared as PNG", KEY, encode(image(FrameEncoding.PNG, 96, 72, jpeg)),
        DeadLetterReason.ENCODING_MISMATCH);
    byte[] noise = new byte[4096];
    new Random(11).nextBytes(noise);
    add("random bytes declared as PNG", KEY, encode(image(FrameEncoding.PNG, 64, 64, noise)),
        DeadLetterReason.CORRUPT_IMAGE);
    byte[] damaged = png.clone();
    for (int i = png.length / 2; i < png.length / 2 + 16; i++) {
      damaged[i] ^= 0x55;
    }
    add("PNG with damaged pixel data", KEY, encode(image(FrameEncoding.PNG, 80, 80, damaged)),
        DeadLetterReason.CORRUPT_IMAGE);
  }

  private void references() {
    Path root = allowedRoot(directory);
    Path outside = directory.toAbsolutePath().resolve("outside.png");
    Path tooLarge = root.resolve("too-large.png");
    try {
      Files.createDirectories(root);
      Files.write(outside, CorpusImages.png(80, 80, 40));
      Files.write(tooLarge, new byte[MAX_FRAME_BYTES + 1]);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the corpus files under " + directory, e);
    }
    add("https image reference", KEY, encode(reference("https://cameras.example/7/1.png")),
        DeadLetterReason.UNSUPPORTED_URI_SCHEME);
    add("image reference without a scheme", KEY, encode(reference("cam-7/000001.png")),
        DeadLetterReason.INVALID_URI);
    add("image reference that is not a URI", KEY, encode(reference("file://[broken")),
        DeadLetterReason.INVALID_URI);
    add("file: reference escaping the allowed directory", KEY,
        encode(reference(root.toUri() + "../outside.png")), DeadLetterReason.URI_NOT_ALLOWED);
    add("file: reference to a missing file", KEY,
        encode(reference(root.resolve("missing.png").toUri().toString())),
        DeadLetterReason.IMAGE_UNREADABLE);
    add("file: reference to a file over the size limit", KEY,
        encode(reference(tooLarge.toUri().toString())), DeadLetterReason.FRAME_TOO_LARGE);
  }

  private void add(String name, byte[] key, byte[] value, DeadLetterReason reason) {
    inputs.add(new HostileInput(name, key, value, reason));
  }

  /** A well-formed 8x8 RAW_RGB frame: each case changes the one field it is about. */
  private Frame.Builder rawFrame(String streamId) {
    return frame(streamId, nextSequence(), now - 1000, FrameEncoding.RAW_RGB, 8, 8,
        CorpusImages.rawRgb(8, 8, 3));
  }

  private Frame.Builder jpegFrame() {
    return image(FrameEncoding.JPEG, 96, 72, CorpusImages.jpeg(96, 72, 40));
  }

  private Frame.Builder image(FrameEncoding encoding, int width, int height, byte[] image) {
    return frame(STREAM, nextSequence(), now - 1000, encoding, width, height, image);
  }

  private Frame.Builder reference(String uri) {
    return image(FrameEncoding.PNG, 80, 80, new byte[0]).setImage(new ImageReference(uri));
  }

  /** Distinct sequences keep every message of the corpus distinct. */
  private long nextSequence() {
    return 1000 + sequence++;
  }

  /** The 10-byte single-object header of the current Frame schema. */
  private static byte[] header() {
    return Arrays.copyOf(encode(CorpusFrames.good(STREAM, 0, 0, 0)), 10);
  }

  /**
   * The fields of a Frame up to its attributes map, raw: encoding enum index and image union
   * branch as given, so they can be out of range.
   */
  private void writeFrameFields(BinaryEncoder out, int encodingIndex, int width, int height,
                                int imageBranch, byte[] image) throws IOException {
    out.writeString(STREAM);
    out.writeLong(nextSequence());
    out.writeLong(now);
    out.writeEnum(encodingIndex);
    out.writeInt(width);
    out.writeInt(height);
    out.writeIndex(imageBranch);
    out.writeBytes(image);
  }

  /** A header followed by an Avro body written field by field, to say what no valid Frame can. */
  private static byte[] body(byte[] header, BodyWriter writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(header);
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @FunctionalInterface
  private interface BodyWriter {
    void write(BinaryEncoder out) throws IOException;
  }
}
