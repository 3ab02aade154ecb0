package casastream.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.kafka.BytesToTopic;
import casastream.operators.kafka.TwoSlotCluster;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.ImageReference;
import casastream.testkit.InProcessKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Good and bad frames on a real broker; the validation stage on a Flink MiniCluster (RocksDB,
 * checkpoints, one injected failure and restart); valid frames and dead letters written by
 * exactly-once sinks and read back with read_committed: every bad frame is there once, with its
 * reason, and every good frame passes once.
 */
class DeadLettersEndToEndTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TwoSlotCluster.create();

  private static final String FRAMES = Topics.FRAMES;
  private static final String DLQ = Topics.FRAMES_DLQ;
  private static final String VALID = "frames-valid";

  /** The injected failure happens once per JVM, so the restarted attempt runs through. */
  private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

  @Test
  void everyBadFrameReachesTheDeadLetterTopicExactlyOnceWithItsReason() throws Exception {
    KAFKA.createTopic(FRAMES, 2);
    KAFKA.createTopic(DLQ, 1);
    KAFKA.createTopic(VALID, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<ByteBuffer, DeadLetterReason> badFrames = badFrames();
    List<String> goodFrames = new ArrayList<>();
    for (int sequence = 0; sequence < 6; sequence++) {
      String stream = "cam-" + (sequence % 2);
      records.add(frameRecord(stream, goodFrame(stream, sequence)));
      goodFrames.add(stream + "/" + sequence);
    }
    badFrames.forEach((value, reason) ->
        records.add(new ProducerRecord<>(FRAMES, bytes("cam-0"), value.array())));
    KAFKA.produce(records);

    runValidationJob();

    List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.readAllCommitted(DLQ, Duration.ofSeconds(30));
    Map<ByteBuffer, DeadLetterReason> received = new HashMap<>();
    AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      DeadLetter deadLetter = codec.decode(letter.value());
      assertThat(deadLetter.getSourceTopic()).isEqualTo(FRAMES);
      DeadLetterReason previous = received.put(deadLetter.getOriginalBytes(), deadLetter.getReason());
      assertThat(previous).as("a dead letter written twice: %s", deadLetter.getDetail()).isNull();
    }
    assertThat(received).isEqualTo(badFrames);
    assertThat(KAFKA.readAllCommitted(VALID, Duration.ofSeconds(30)))
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrderElementsOf(goodFrames);
    assertThat(FAILED_ONCE).as("the job went through a failure and restart").isTrue();
  }

  private static void runValidationJob() throws Exception {
    new ValidationJobUnderTest(KAFKA.bootstrapServers(), "e2e", FRAMES, DLQ, ValidationOptions.defaults(),
        Duration.ofMillis(500), 2)
        .run(valid -> valid.map(DeadLettersEndToEndTest::failOnceOnTheLastFrame),
            new BytesToTopic<>(VALID, frame -> bytes(frame.streamId), frame -> bytes(frame.streamId + "/" + frame.sequence)));
  }

  private static ValidFrame failOnceOnTheLastFrame(ValidFrame frame) {
    if (frame.sequence == 5 && FAILED_ONCE.compareAndSet(false, true)) {
      throw new IllegalStateException("Injected failure: the restarted job must not duplicate output");
    }
    return frame;
  }

  private static Frame goodFrame(String stream, int sequence) {
    Frame.Builder frame = switch (sequence % 3) {
      case 0 -> TestFrames.frame(FrameEncoding.JPEG, 96, 64, TestFrames.jpeg(96, 64));
      case 1 -> TestFrames.frame(FrameEncoding.PNG, 64, 64, TestFrames.png(64, 64));
      default -> TestFrames.frame(FrameEncoding.RAW_RGB, 8, 8, TestFrames.rawRgb(8, 8, 10, 20, 30));
    };
    return frame.setStreamId(stream).setSequence(sequence).setCaptureTime(Instant.now()).build();
  }

  /** Each bad message value, with the reason it must be refused for. */
  private static Map<ByteBuffer, DeadLetterReason> badFrames() {
    AvroCodec<Frame> codec = AvroCodec.frames();
    Map<ByteBuffer, DeadLetterReason> bad = new HashMap<>();
    byte[] png = TestFrames.png(64, 64);
    byte[] jpeg = TestFrames.jpeg(96, 64);
    bad.put(ByteBuffer.wrap(bytes("{\"streamId\": \"cam-0\"}")), DeadLetterReason.NOT_AVRO);
    byte[] unknownSchema = codec.encode(goodFrame("cam-0", 100));
    unknownSchema[3] ^= 0x40;
    bad.put(ByteBuffer.wrap(unknownSchema), DeadLetterReason.UNKNOWN_SCHEMA);
    byte[] whole = codec.encode(goodFrame("cam-0", 101));
    bad.put(ByteBuffer.wrap(Arrays.copyOf(whole, whole.length / 2)), DeadLetterReason.CORRUPT_RECORD);
    bad.put(encoded(codec, TestFrames.frame(FrameEncoding.PNG, 64, 64, png).setStreamId("cam-1")
        .setCaptureTime(Instant.now()).setSequence(102)), DeadLetterReason.KEY_MISMATCH);
    bad.put(encoded(codec, TestFrames.frame(FrameEncoding.PNG, 64, 64, png).setStreamId("cam-0")
        .setCaptureTime(Instant.parse("2100-01-01T00:00:00Z"))), DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
    bad.put(encoded(codec, now(TestFrames.frame(FrameEncoding.JPEG, 64, 64, jpeg))), DeadLetterReason.DIMENSION_MISMATCH);
    bad.put(encoded(codec, now(TestFrames.frame(FrameEncoding.JPEG, 96, 64,
        Arrays.copyOf(jpeg, jpeg.length / 2)))), DeadLetterReason.TRUNCATED_IMAGE);
    bad.put(encoded(codec, now(TestFrames.frame(FrameEncoding.PNG, 64, 64,
        TestFrames.pngClaiming(png, 50_000, 50_000)))), DeadLetterReason.DIMENSIONS_TOO_LARGE);
    bad.put(encoded(codec, now(TestFrames.frame(FrameEncoding.RAW_RGB, 8, 8, new byte[100]))),
        DeadLetterReason.RAW_SIZE_MISMATCH);
    bad.put(encoded(codec, now(TestFrames.frame(FrameEncoding.PNG, 64, 64, png)
        .setImage(new ImageReference("https://example.com/f.png")))), DeadLetterReason.UNSUPPORTED_URI_SCHEME);
    return bad;
  }

  private static Frame.Builder now(Frame.Builder frame) {
    return frame.setStreamId("cam-0").setCaptureTime(Instant.now());
  }

  private static ByteBuffer encoded(AvroCodec<Frame> codec, Frame.Builder frame) {
    return ByteBuffer.wrap(codec.encode(frame.build()));
  }

  private static ProducerRecord<byte[], byte[]> frameRecord(String stream, Frame frame) {
    return new ProducerRecord<>(FRAMES, bytes(stream), AvroCodec.frames().encode(frame));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
