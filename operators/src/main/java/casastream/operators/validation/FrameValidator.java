package casastream.operators.validation;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.DecodeException;
import casastream.schemas.Frame;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether one Kafka record is a usable frame: decodes the Avro message, checks the
 * stream id, sequence, capture time, encoding and dimensions against {@link ValidationOptions},
 * decodes the image and resizes it for the model. Cheap checks run first, pixels last. Plain
 * Java, no Flink: the validation function wraps it. Not thread-safe; one per task.
 */
public final class FrameValidator {

  private final ValidationOptions options;
  private final AvroCodec<Frame> codec = AvroCodec.frames();
  private final FrameImageLoader loader;
  private final ImageDecoder decoder;
  private final RgbResizer resizer;

  public FrameValidator(ValidationOptions options) {
    this.options = options;
    this.loader = new FrameImageLoader(options.maxFrameBytes(), options.fileUriRoot());
    this.decoder = new ImageDecoder(options);
    this.resizer = new RgbResizer(options.targetWidth(), options.targetHeight());
  }

  /**
   * @param nowMillis the job's current time, epoch milliseconds, for the capture-time check
   * @throws FrameRejection with the dead-letter reason when the record is not a usable frame
   */
  public ValidFrame validate(RawKafkaRecord record, long nowMillis) throws FrameRejection {
    return validate(decode(record.value), record, nowMillis);
  }

  /**
   * Checks a frame decoded elsewhere (a SQL row, say) as {@link #validate(RawKafkaRecord, long)}
   * checks a decoded message.
   *
   * @param record where it came from: its key and Kafka position (its value is not read)
   */
  public ValidFrame validate(Frame frame, RawKafkaRecord record, long nowMillis) throws FrameRejection {
    String streamId = checkStreamId(frame.getStreamId(), record.key);
    try {
      checkSequenceAndTime(frame, nowMillis);
      checkDeclaredSize(frame.getWidth(), frame.getHeight());
      byte[] imageBytes = loader.load(frame.getImage());
      BufferedImage image =
          decoder.decode(imageBytes, frame.getEncoding(), frame.getWidth(), frame.getHeight());
      return validFrame(record, frame, resizer.toRgb(image));
    } catch (FrameRejection rejection) {
      throw rejection.forStream(streamId);
    }
  }

  private Frame decode(byte[] value) throws FrameRejection {
    if (value != null && value.length > options.maxFrameBytes()) {
      throw new FrameRejection(DeadLetterReason.FRAME_TOO_LARGE, "The message has " + value.length
          + " bytes, above the limit of " + options.maxFrameBytes()
          + "; send smaller images, a URI reference, or raise maxFrameBytes");
    }
    try {
      return codec.decode(value);
    } catch (DecodeException e) {
      DeadLetterReason reason = switch (e.reason()) {
        case NOT_AVRO -> DeadLetterReason.NOT_AVRO;
        case UNKNOWN_SCHEMA -> DeadLetterReason.UNKNOWN_SCHEMA;
        case CORRUPT -> DeadLetterReason.CORRUPT_RECORD;
      };
      throw new FrameRejection(reason, e.getMessage());
    }
  }

  private String checkStreamId(String streamId, byte[] key) throws FrameRejection {
    if (streamId.isEmpty()) {
      throw new FrameRejection(DeadLetterReason.EMPTY_STREAM_ID, "The frame's streamId is empty");
    }
    int bytes = streamId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > options.maxStreamIdBytes()) {
      throw new FrameRejection(DeadLetterReason.STREAM_ID_TOO_LONG, "The frame's streamId has "
          + bytes + " UTF-8 bytes, above the limit of " + options.maxStreamIdBytes());
    }
    // Avro replaces bytes that are not UTF-8 with U+FFFD while decoding a string.
    if (streamId.indexOf('\uFFFD') >= 0 || streamId.chars().anyMatch(Character::isISOControl)) {
      throw new FrameRejection(DeadLetterReason.INVALID_STREAM_ID,
          "The frame's streamId is not valid UTF-8 or contains control characters");
    }
    if (key != null) {
      String keyText = strictUtf8(key);
      if (!streamId.equals(keyText)) {
        throw new FrameRejection(DeadLetterReason.KEY_MISMATCH, "The message key "
            + (keyText == null ? "is not UTF-8" : "'" + keyText + "'")
            + " differs from the frame's streamId '" + streamId
            + "'; key frames by their stream id so each stream stays on one partition");
      }
    }
    return streamId;
  }

  private void checkSequenceAndTime(Frame frame, long nowMillis) throws FrameRejection {
    if (frame.getSequence() < 0) {
      throw new FrameRejection(DeadLetterReason.NEGATIVE_SEQUENCE,
          "The frame's sequence is " + frame.getSequence() + "; sequences count up from 0");
    }
    long capture = frame.getCaptureTime().toEpochMilli();
    if (capture < 0) {
      throw new FrameRejection(DeadLetterReason.NEGATIVE_CAPTURE_TIME,
          "The frame's captureTime " + frame.getCaptureTime() + " is before 1970");
    }
    long limit = nowMillis + options.maxFutureSkew().toMillis();
    if (capture > limit) {
      throw new FrameRejection(DeadLetterReason.CAPTURE_TIME_IN_FUTURE, "The frame's captureTime "
          + frame.getCaptureTime() + " is more than " + options.maxFutureSkew()
          + " ahead of the job's clock; check the camera's clock");
    }
  }

  private void checkDeclaredSize(int width, int height) throws FrameRejection {
    if (width <= 0 || height <= 0) {
      throw new FrameRejection(DeadLetterReason.INVALID_DIMENSIONS,
          "The frame declares " + width + "x" + height + "; width and height must be positive");
    }
    if (width > options.maxImageWidth() || height > options.maxImageHeight()) {
      throw new FrameRejection(DeadLetterReason.DIMENSIONS_TOO_LARGE, "The frame declares " + width
          + "x" + height + ", above the limit of " + options.maxImageWidth() + "x"
          + options.maxImageHeight());
    }
  }

  private ValidFrame validFrame(RawKafkaRecord record, Frame frame, byte[] rgb) {
    ValidFrame valid = new ValidFrame();
    valid.streamId = frame.getStreamId();
    valid.sequence = frame.getSequence();
    valid.captureTimeMillis = frame.getCaptureTime().toEpochMilli();
    valid.sourceTopic = record.topic;
    valid.sourcePartition = record.partition;
    valid.sourceOffset = record.offset;
    valid.width = options.targetWidth();
    valid.height = options.targetHeight();
    valid.rgb = rgb;
    return valid;
  }

  /** The key as text, or null when it is not valid UTF-8. */
  private static String strictUtf8(byte[] key) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
