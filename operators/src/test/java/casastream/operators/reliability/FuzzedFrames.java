package casastream.operators.reliability;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the fuzzer's bytes into a Kafka record for the validation stage, at every layer of the
 * format: raw bytes (the header check), a valid header over a fuzzed Avro body (the decoder's
 * length and union checks), and well-formed Frames with fuzzed fields and damaged real images (the
 * field checks and the image decoders). Pure bytes in, record out: any input replays exactly.
 */
final class FuzzedFrames {

  static final long NOW = 1_764_000_000_000L;
  static final String TOPIC = "frames";

  /** Real images to damage: reaching the decoders from random bytes alone would take far too long. */
  private static final List<Seed> SEEDS = List.of(
      new Seed(FrameEncoding.JPEG, 40, 30, CorpusImages.jpeg(40, 30, 90)),
      new Seed(FrameEncoding.PNG, 33, 17, CorpusImages.png(33, 17, 90)),
      new Seed(FrameEncoding.JPEG, 160, 120, CorpusImages.jpeg(160, 120, 20)),
      new Seed(FrameEncoding.RAW_RGB, 9, 7, CorpusImages.rawRgb(9, 7, 90)));

  private static final byte[] HEADER = Arrays.copyOf(
      CorpusFrames.encode(CorpusFrames.good("cam", 0, 0, NOW)), 10);

  private FuzzedFrames() {}

  static RawKafkaRecord record(FuzzedDataProvider data) {
    int layer = data.consumeInt(0, 3);
    byte[] key = data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 24));
    byte[] value = switch (layer) {
      case 0 -> data.consumeRemainingAsBytes();
      case 1 -> concat(HEADER, data.consumeRemainingAsBytes());
      default -> CorpusFrames.encode(frame(data, layer == 3));
    };
    return new RawKafkaRecord(TOPIC, 0, 0, NOW, key, value);
  }

  /** A Frame every field of which comes from the fuzzer; the image is a damaged seed image. */
  private static Frame frame(FuzzedDataProvider data, boolean reference) {
    Seed seed = data.pickValue(SEEDS);
    boolean keepSize = data.consumeBoolean();
    Frame.Builder frame = CorpusFrames.frame(
        data.consumeBoolean() ? "cam-7" : data.consumeString(40),
        data.consumeBoolean() ? 1 : data.consumeLong(),
        data.consumeBoolean() ? NOW - 1000 : data.consumeLong(),
        data.consumeBoolean() ? seed.encoding() : data.pickValue(FrameEncoding.values()),
        keepSize ? seed.width() : dimension(data),
        keepSize ? seed.height() : dimension(data),
        damaged(seed.bytes(), data));
    if (reference) {
      frame.setImage(new ImageReference(data.consumeString(200)));
    }
    return frame.build();
  }

  /** Mostly the small and boundary values where size checks go wrong, sometimes any value. */
  private static int dimension(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeInt(-3, 64) : data.consumeInt();
  }

  /** Up to 8 byte changes anywhere in the image, then maybe a cut. */
  private static byte[] damaged(byte[] image, FuzzedDataProvider data) {
    byte[] bytes = image.clone();
    for (int edits = data.consumeInt(0, 8); edits > 0; edits--) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    return data.consumeBoolean() ? bytes : Arrays.copyOf(bytes, data.consumeInt(0, bytes.length));
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] whole = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, whole, head.length, tail.length);
    return whole;
  }

  private record Seed(FrameEncoding encoding, int width, int height, byte[] bytes) {}
}
