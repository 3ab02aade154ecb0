package casastream.operators.validation;

import static casastream.operators.validation.TestFrames.NOW;
import static casastream.operators.validation.TestFrames.frame;
import static casastream.operators.validation.TestFrames.frameAt;
import static casastream.operators.validation.TestFrames.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameValidatorTest {

  private final FrameValidator validator = new FrameValidator(ValidationOptions.defaults());

  @Test
  void aJpegFrameIsDecodedAndResizedToTheTargetSize() throws Exception {
    RawKafkaRecord record = record(frame(FrameEncoding.JPEG, 320, 240, TestFrames.jpeg(320, 240)).build());

    ValidFrame valid = validator.validate(record, NOW);

    assertThat(valid.streamId).isEqualTo("cam-7");
    assertThat(valid.sequence).isEqualTo(1);
    assertThat(valid.captureTimeMillis).isEqualTo(NOW - 1000);
    assertThat(valid.sourceTopic).isEqualTo("frames");
    assertThat(valid.sourceOffset).isEqualTo(17);
    assertThat(valid.width).isEqualTo(64);
    assertThat(valid.height).isEqualTo(64);
    assertThat(valid.rgb).hasSize(64 * 64 * 3);
  }

  @Test
  void aPngFrameKeepsItsColoursInRgbOrder() throws Exception {
    RawKafkaRecord record = record(frame(FrameEncoding.PNG, 200, 100, TestFrames.png(200, 100)).build());

    ValidFrame valid = validator.validate(record, NOW);

    // The gradient's red grows left to right, green top to bottom, blue is 128 everywhere.
    int topLeft = 0;
    int bottomRight = 3 * (63 * 64 + 63);
    assertThat(valid.rgb[topLeft] & 0xFF).isLessThan(20);
    assertThat(valid.rgb[bottomRight] & 0xFF).isGreaterThan(230);
    assertThat(valid.rgb[bottomRight + 1] & 0xFF).isGreaterThan(230);
    assertThat(valid.rgb[topLeft + 2] & 0xFF).isBetween(120, 136);
  }

  @Test
  void aRawRgbFrameOfWidthTimesHeightTimesThreeBytesIsValid() throws Exception {
    byte[] orange = TestFrames.rawRgb(8, 4, 255, 128, 0);

    ValidFrame valid = validator.validate(record(frame(FrameEncoding.RAW_RGB, 8, 4, orange).build()), NOW);

    assertThat(Arrays.copyOf(valid.rgb, 3)).containsExactly((byte) 255, (byte) 128, (byte) 0);
  }

  @Test
  void aFileUriInsideTheAllowedRootIsRead(@TempDir Path root) throws Exception {
    Path file = Files.write(root.resolve("f.png"), TestFrames.png(64, 48));
    FrameValidator allowing =
        new FrameValidator(ValidationOptions.builder().fileUriRoot(root).build());

    ValidFrame valid = allowing.validate(
        record(frameAt(file.toUri().toString(), FrameEncoding.PNG, 64, 48).build()), NOW);

    assertThat(valid.rgb).hasSize(64 * 64 * 3);
  }

  @Test
  void bytesThatAreNotAvroAreRefused() {
    assertRejected(record("cam-7", "{\"streamId\":\"cam-7\"}".getBytes(StandardCharsets.UTF_8)),
        DeadLetterReason.NOT_AVRO);
    assertRejected(record("cam-7", new byte[0]), DeadLetterReason.NOT_AVRO);
    assertRejected(record("cam-7", null), DeadLetterReason.NOT_AVRO);
  }

  @Test
  void anUnknownSchemaFingerprintIsRefused() {
    byte[] bytes = AvroCodec.frames().encode(validJpeg().build());
    bytes[4] ^= 0x11;

    assertRejected(record("cam-7", bytes), DeadLetterReason.UNKNOWN_SCHEMA);
  }

  @Test
  void aTruncatedAvroRecordIsCorrupt() {
    byte[] bytes = AvroCodec.frames().encode(validJpeg().build());

    assertRejected(record("cam-7", Arrays.copyOf(bytes, bytes.length - 40)), DeadLetterReason.CORRUPT_RECORD);
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedBeforeDecoding() {
    FrameValidator small = new FrameValidator(ValidationOptions.builder().maxFrameBytes(1000).build());
    RawKafkaRecord record = record(frame(FrameEncoding.JPEG, 320, 240, TestFrames.jpeg(320, 240)).build());
    assertThat(record.value.length).isGreaterThan(1000);

    assertThatThrownBy(() -> small.validate(record, NOW))
        .isInstanceOfSatisfying(FrameRejection.class,
            r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.FRAME_TOO_LARGE));
  }

  @Test
  void streamIdsMustBeNonEmptyBoundedAndClean() {
    assertRejected(record(null, encode(validJpeg().setStreamId(""))), DeadLetterReason.EMPTY_STREAM_ID);
    assertRejected(record(null, encode(validJpeg().setStreamId("x".repeat(257)))),
        DeadLetterReason.STREAM_ID_TOO_LONG);
    assertRejected(record(null, encode(validJpeg().setStreamId("cam\n7"))), DeadLetterReason.INVALID_STREAM_ID);
  }

  @Test
  void aStreamIdThatIsNotUtf8IsRefused() {
    byte[] bytes = encode(validJpeg().setStreamId("cam-7"));
    // The stream id's bytes follow the header and its one-byte length; 0xFF is never UTF-8.
    bytes[11] = (byte) 0xFF;

    assertRejected(record(null, bytes), DeadLetterReason.INVALID_STREAM_ID);
  }

  @Test
  void aKeyThatDiffersFromTheStreamIdIsRefused() {
    assertRejected(record("cam-8", encode(validJpeg())), DeadLetterReason.KEY_MISMATCH);
    RawKafkaRecord notUtf8 = record(null, encode(validJpeg()));
    notUtf8.key = new byte[] {(byte) 0xC3, 0x28};
    assertRejected(notUtf8, DeadLetterReason.KEY_MISMATCH);
  }

  @Test
  void aFrameWithoutKeyIsAccepted() throws Exception {
    assertThat(validator.validate(record(null, encode(validJpeg())), NOW).streamId).isEqualTo("cam-7");
  }

  @Test
  void negativeSequencesAndCaptureTimesAreRefused() {
    assertRejected(record(validJpeg().setSequence(-1).build()), DeadLetterReason.NEGATIVE_SEQUENCE);
    assertRejected(record(validJpeg().setCaptureTime(Instant.ofEpochMilli(-5)).build()),
        DeadLetterReason.NEGATIVE_CAPTURE_TIME);
  }

  @Test
  void captureTimesBeyondTheAllowedSkewAreRefusedAndWithinItAccepted() throws Exception {
    Instant tooFar = Instant.ofEpochMilli(NOW).plus(Duration.ofMinutes(5)).plusMillis(1);
    Instant justInside = Instant.ofEpochMilli(NOW).plus(Duration.ofMinutes(5));

    assertRejected(record(validJpeg().setCaptureTime(tooFar).build()), DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
    assertThat(validator.validate(record(validJpeg().setCaptureTime(justInside).build()), NOW)).isNotNull();
  }

  @Test
  void anEncodingThisJobDoesNotKnowIsRefused() {
    assertRejected(record(validJpeg().setEncoding(FrameEncoding.UNKNOWN).build()),
        DeadLetterReason.UNSUPPORTED_ENCODING);
  }

  @Test
  void declaredDimensionsMustBePositiveAndWithinLimits() {
    assertRejected(record(validJpeg().setWidth(0).build()), DeadLetterReason.INVALID_DIMENSIONS);
    assertRejected(record(validJpeg().setHeight(-3).build()), DeadLetterReason.INVALID_DIMENSIONS);
    assertRejected(record(validJpeg().setWidth(100_000).build()), DeadLetterReason.DIMENSIONS_TOO_LARGE);
  }

  @Test
  void aHeaderDeclaringAHugeImageIsRefusedWithoutDecodingIt() {
    byte[] bomb = TestFrames.pngClaiming(TestFrames.png(32, 32), 60_000, 60_000);

    assertRejected(record(frame(FrameEncoding.PNG, 32, 32, bomb).build()), DeadLetterReason.DIMENSIONS_TOO_LARGE);
  }

  @Test
  void declaredDimensionsMustMatchTheImageHeader() {
    assertRejected(record(frame(FrameEncoding.JPEG, 320, 200, TestFrames.jpeg(320, 240)).build()),
        DeadLetterReason.DIMENSION_MISMATCH);
  }

  @Test
  void anEmptyImageIsRefused() {
    assertRejected(record(frame(FrameEncoding.PNG, 32, 32, new byte[0]).build()), DeadLetterReason.EMPTY_IMAGE);
  }

  @Test
  void bytesOfAnotherFormatThanDeclaredAreAnEncodingMismatch() {
    assertRejected(record(frame(FrameEncoding.JPEG, 32, 32, TestFrames.png(32, 32)).build()),
        DeadLetterReason.ENCODING_MISMATCH);
    assertRejected(record(frame(FrameEncoding.PNG, 32, 32, TestFrames.jpeg(32, 32)).build()),
        DeadLetterReason.ENCODING_MISMATCH);
  }

  @Test
  void aJpegCutInItsPixelDataIsRefusedAsTruncated() {
    byte[] jpeg = TestFrames.jpeg(320, 240);

    assertRejected(record(frame(FrameEncoding.JPEG, 320, 240, Arrays.copyOf(jpeg, jpeg.length / 2)).build()),
        DeadLetterReason.TRUNCATED_IMAGE);
  }

  @Test
  void aJpegCutRightAfterItsHeaderIsRefusedAsTruncated() {
    byte[] jpeg = TestFrames.jpeg(96, 64);

    assertRejected(record(frame(FrameEncoding.JPEG, 96, 64, Arrays.copyOf(jpeg, jpeg.length / 4)).build()),
        DeadLetterReason.TRUNCATED_IMAGE);
  }

  @Test
  void aTruncatedOrGarbledPngIsRefused() {
    byte[] png = TestFrames.png(320, 240);
    byte[] garbled = png.clone();
    for (int i = 100; i < garbled.length - 10; i += 37) {
      garbled[i] ^= 0x55;
    }

    assertRejectedWithOneOf(record(frame(FrameEncoding.PNG, 320, 240, Arrays.copyOf(png, png.length / 2)).build()),
        DeadLetterReason.TRUNCATED_IMAGE, DeadLetterReason.CORRUPT_IMAGE);
    assertRejected(record(frame(FrameEncoding.PNG, 320, 240, garbled).build()), DeadLetterReason.CORRUPT_IMAGE);
  }

  @Test
  void oneValidatorKeepsNoReaderStateFromFrameToFrame() throws Exception {
    // The decoder keeps its readers between frames: every outcome must still be what a fresh
    // validator gives, whatever came before (good, truncated, of another format, another size).
    byte[] jpeg = TestFrames.jpeg(96, 64);
    byte[] png = TestFrames.png(96, 64);
    java.util.List<RawKafkaRecord> records = java.util.List.of(
        record(frame(FrameEncoding.JPEG, 96, 64, jpeg).build()),
        record(frame(FrameEncoding.JPEG, 96, 64, Arrays.copyOf(jpeg, jpeg.length / 2)).build()),
        record(frame(FrameEncoding.JPEG, 96, 64, jpeg).build()),
        record(frame(FrameEncoding.JPEG, 96, 64, png).build()),
        record(frame(FrameEncoding.PNG, 96, 64, png).build()),
        record(frame(FrameEncoding.JPEG, 48, 32, TestFrames.jpeg(48, 32)).build()),
        record(frame(FrameEncoding.JPEG, 96, 64, TestFrames.jpeg(48, 32)).build()),
        record(frame(FrameEncoding.PNG, 96, 64, Arrays.copyOf(png, png.length / 2)).build()),
        record(frame(FrameEncoding.PNG, 96, 64, png).build()),
        record(frame(FrameEncoding.JPEG, 96, 64, jpeg).build()));

    FrameValidator reused = new FrameValidator(ValidationOptions.defaults());
    for (int i = 0; i < records.size(); i++) {
      Object expected = outcome(new FrameValidator(ValidationOptions.defaults()), records.get(i));
      assertThat(outcome(reused, records.get(i))).as("frame %d", i).isEqualTo(expected);
    }
    assertThat(outcome(reused, records.get(0))).isInstanceOf(byte[].class);
  }

  /** The pixels of a valid frame, or the reason it was refused. */
  private static Object outcome(FrameValidator validator, RawKafkaRecord record) {
    try {
      return validator.validate(record, NOW).rgb;
    } catch (FrameRejection rejection) {
      return rejection.reason();
    }
  }

  @Test
  void bytesInNoImageFormatAreACorruptImage() {
    assertRejected(record(frame(FrameEncoding.JPEG, 4, 4, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).build()),
        DeadLetterReason.CORRUPT_IMAGE);
  }

  @Test
  void rawRgbOfTheWrongByteCountIsRefused() {
    assertRejected(record(frame(FrameEncoding.RAW_RGB, 8, 4, TestFrames.rawRgb(8, 3, 1, 2, 3)).build()),
        DeadLetterReason.RAW_SIZE_MISMATCH);
  }

  @Test
  void imageReferencesAreRefusedUnlessTheyAreFilesInsideTheAllowedRoot(@TempDir Path root) throws Exception {
    Path outside = Files.write(Files.createTempFile("outside", ".png"), TestFrames.png(8, 8));
    FrameValidator allowing = new FrameValidator(ValidationOptions.builder().fileUriRoot(root).build());

    assertRejected(record(frameAt("s3://bucket/f.png", FrameEncoding.PNG, 8, 8).build()),
        DeadLetterReason.UNSUPPORTED_URI_SCHEME);
    assertRejected(record(frameAt(outside.toUri().toString(), FrameEncoding.PNG, 8, 8).build()),
        DeadLetterReason.UNSUPPORTED_URI_SCHEME);
    assertRejectedBy(allowing, record(frameAt("not a uri", FrameEncoding.PNG, 8, 8).build()),
        DeadLetterReason.INVALID_URI);
    assertRejectedBy(allowing, record(frameAt(outside.toUri().toString(), FrameEncoding.PNG, 8, 8).build()),
        DeadLetterReason.URI_NOT_ALLOWED);
    assertRejectedBy(allowing, record(frameAt(root.resolve("missing.png").toUri().toString(),
        FrameEncoding.PNG, 8, 8).build()), DeadLetterReason.IMAGE_UNREADABLE);
    Files.delete(outside);
  }

  @Test
  void aReferencedFileOverTheSizeLimitIsRefused(@TempDir Path root) throws Exception {
    Path file = Files.write(root.resolve("big.png"), TestFrames.png(256, 256));
    FrameValidator small = new FrameValidator(
        ValidationOptions.builder().fileUriRoot(root).maxFrameBytes(1000).build());

    assertRejectedBy(small, record(frameAt(file.toUri().toString(), FrameEncoding.PNG, 256, 256).build()),
        DeadLetterReason.FRAME_TOO_LARGE);
  }

  @Test
  void aRefusalAfterTheStreamIdWasReadNamesTheStream() {
    assertThatThrownBy(() -> validator.validate(record(validJpeg().setWidth(0).build()), NOW))
        .isInstanceOfSatisfying(FrameRejection.class, r -> assertThat(r.streamId()).isEqualTo("cam-7"));
    assertThatThrownBy(() -> validator.validate(record(null, encode(validJpeg().setStreamId(""))), NOW))
        .isInstanceOfSatisfying(FrameRejection.class, r -> assertThat(r.streamId()).isNull());
  }

  private static Frame.Builder validJpeg() {
    return frame(FrameEncoding.JPEG, 32, 24, TestFrames.jpeg(32, 24));
  }

  private static byte[] encode(Frame.Builder frame) {
    return AvroCodec.frames().encode(frame.build());
  }

  private void assertRejected(RawKafkaRecord record, DeadLetterReason reason) {
    assertRejectedBy(validator, record, reason);
  }

  private static void assertRejectedBy(FrameValidator validator, RawKafkaRecord record, DeadLetterReason reason) {
    rejection(validator, record).satisfies(r -> assertThat(((FrameRejection) r).reason())
        .as("reason for: %s", r.getMessage()).isEqualTo(reason));
  }

  private void assertRejectedWithOneOf(RawKafkaRecord record, DeadLetterReason... reasons) {
    rejection(validator, record).satisfies(r -> assertThat(((FrameRejection) r).reason()).isIn((Object[]) reasons));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejection(FrameValidator validator, RawKafkaRecord record) {
    return assertThatThrownBy(() -> validator.validate(record, NOW))
        .isInstanceOf(FrameRejection.class)
        .hasMessageNotContaining("null");
  }
}
