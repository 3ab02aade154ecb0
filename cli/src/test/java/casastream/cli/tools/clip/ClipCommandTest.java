package casastream.cli.tools.clip;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.TestEvents;
import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.TopicScan;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.FrameOffset;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clip} against a real in-process broker holding frames from {@code produce}: an event's own
 * frame with frames around it, options out of range, and frames that Kafka has already deleted
 * (deleteRecords moves the log start, as retention does). The clip of an ALERT from a real run is in
 * {@link casastream.cli.wall.StreamWallBrowserTest}.
 */
class ClipCommandTest {

  private static EmbeddedKafka kafka;
  private static KafkaAccess access;
  /** The frames of sim-1, in offset order. */
  private static final List<ConsumerRecord<byte[], byte[]>> frames = new ArrayList<>();

  @BeforeAll
  static void startBrokerWithFrames() {
    kafka = EmbeddedKafka.start("localhost", 0);
    access = new KafkaAccess(kafka.bootstrapServers());
    assertThat(CliRun.of("produce", "--synthetic", "2", "--frames", "8", "--no-pace", "--quiet",
        "--bootstrap", kafka.bootstrapServers()).exitCode()).isZero();
    try (KafkaConsumer<byte[], byte[]> consumer = access.committedConsumer()) {
      TopicScan.toEnd(consumer, TopicScan.partitions(consumer, Topics.FRAMES), record -> {
        if ("sim-1".equals(new String(record.key(), StandardCharsets.UTF_8))) {
          frames.add(record);
        }
      });
    }
    assertThat(frames).hasSize(8);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void aCaptionsClipIsItsFrameWithTheStreamsFramesAroundIt(@TempDir Path dir) throws Exception {
    ConsumerRecord<byte[], byte[]> own = frames.get(4);
    TextEvent caption = publish(event(TextEventKind.CAPTION, own, null));

    CliRun clip = CliRun.of("clip", caption.getEventId(), "--out", dir.toString(), "--before", "2", "--after", "10",
        "--quiet", "--bootstrap", kafka.bootstrapServers());

    assertThat(clip.exitCode()).as(clip.err()).isZero();
    // Two before, its own, and the three the stream has after it (fewer than the 10 asked for).
    assertThat(pngs(dir)).containsExactly("frame-0001.png", "frame-0002.png", "frame-0003.png", "frame-0004.png",
        "frame-0005.png", "frame-0006.png");
    assertThat(dir.resolve("clip.mp4")).isNotEmptyFile();
    assertThat(clip.out()).contains("6 frames, #" + sequence(frames.get(2)) + "..#" + sequence(frames.get(7)));
  }

  @Test
  void framesKafkaHasDeletedAreAClearErrorThatSaysWhy(@TempDir Path dir) throws Exception {
    String topic = "frames-expiring";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
      try (KafkaProducer<byte[], byte[]> producer = access.producer()) {
        for (ConsumerRecord<byte[], byte[]> frame : frames) {
          producer.send(new ProducerRecord<>(topic, 0, frame.key(), frame.value())).get(30, TimeUnit.SECONDS);
        }
      }
      TextEvent alert = publish(event(TextEventKind.ALERT, new ConsumerRecord<>(topic, 0, 5, frames.get(5).key(),
          frames.get(5).value()), new FrameOffsetRange(topic, 0, 2L, 5L, 4, false)));
      admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(4)))
          .all().get(30, TimeUnit.SECONDS);

      CliRun clip = CliRun.of("clip", alert.getEventId(), "--out", dir.toString(), "--quiet",
          "--bootstrap", kafka.bootstrapServers());

      assertThat(clip.exitCode()).isNotZero();
      assertThat(clip.err()).contains("have expired from the topic").contains("earliest offset is now 4")
          .contains("retention.ms");
      assertThat(pngs(dir)).isEmpty();
    }
  }

  @Test
  void optionsOutOfRangeAndUnknownEventsAreRefused(@TempDir Path dir) {
    CliRun negative = CliRun.of("clip", "x", "--out", dir.toString(), "--before", "-1", "--bootstrap",
        kafka.bootstrapServers());
    assertThat(negative.exitCode()).isNotZero();
    assertThat(negative.err()).contains("--before and --after must be 0..1000");
    CliRun unknown = CliRun.of("clip", "no-such-event", "--out", dir.toString(), "--bootstrap", kafka.bootstrapServers());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("No committed event no-such-event in topic text-events");
  }

  private static List<String> pngs(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
    }
  }

  private static long sequence(ConsumerRecord<byte[], byte[]> record) {
    try {
      return AvroCodec.frames().decode(record.value()).getSequence();
    } catch (DecodeException e) {
      throw new AssertionError("produce wrote a frame that does not decode", e);
    }
  }

  private static TextEvent event(TextEventKind kind, ConsumerRecord<byte[], byte[]> frame, FrameOffsetRange range) {
    return TestEvents.builder("sim-1", sequence(frame), kind, kind == TextEventKind.CAPTION ? "a red circle" : "yes",
            kind == TextEventKind.CAPTION ? null : "red")
        .setSource(new FrameOffset(frame.topic(), frame.partition(), frame.offset()))
        .setAlertFrames(range)
        .build();
  }


  private static TextEvent publish(TextEvent event) {
    try (KafkaProducer<byte[], byte[]> producer = access.producer()) {
      return TestEvents.send(producer, event);
    }
  }

}
