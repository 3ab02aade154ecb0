package casastream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.runtime.ComputeDevice;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import casastream.testkit.InProcessKafka;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the job's end-to-end tests share: the tiny seeded model, deterministic frames of numbered
 * streams, the model run directly on those frames (the expected text), and committed text events
 * read back as {@code streamId#sequence -> text}.
 */
public final class EndToEndFixture {

  private EndToEndFixture() {}

  /** Writes the tiny seeded CASA checkpoint into {@code dir} and returns it. */
  public static Path writeModel(Path dir) throws IOException {
    return TinyCasaCheckpoint.writeTo(dir);
  }

  /** The tiny model's image side, in pixels. */
  /**
   * Creates the job's default topics on the broker: frames with {@code framePartitions}
   * partitions, and dead letters, queries and late frames; text events too unless
   * {@code withTextEvents} is false (a test that writes them elsewhere).
   */
  public static void createJobTopics(InProcessKafka kafka, int framePartitions, boolean withTextEvents) {
    kafka.createTopic("frames", framePartitions);
    kafka.createTopic("frames-dlq", 1);
    if (withTextEvents) {
      kafka.createTopic("text-events", 2);
    }
    kafka.createTopic("queries", 1);
    kafka.createTopic("frames-late", 1);
  }

  public static int imageSize() {
    return TinyCasaCheckpoint.config().imageSize();
  }

  /**
   * A MiniCluster configuration with RocksDB state, checkpoints written under {@code checkpoints}
   * and kept when the job is cancelled (so a new job can restore from them), and a restart
   * strategy of {@code restartAttempts} quick restarts.
   */
  public static Configuration checkpointedJob(Path checkpoints, int restartAttempts) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    return conf;
  }

  public static String streamId(int stream) {
    return String.format("cam-%02d", stream);
  }

  /** The pixels of frame {@code sequence} of stream {@code stream}: the same on every call. */
  public static byte[] pixels(int size, int stream, int sequence) {
    return TinyCasaCheckpoint.frame(size, 1000L * stream + sequence);
  }

  public static byte[] rawFrame(String streamId, long sequence, long captureMillis, int size, byte[] rgb) {
    return AvroCodec.frames().encode(Frame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTime(Instant.ofEpochMilli(captureMillis))
        .setEncoding(FrameEncoding.RAW_RGB)
        .setWidth(size)
        .setHeight(size)
        .setImage(ByteBuffer.wrap(rgb))
        .setAttributes(Map.of())
        .build());
  }

  public static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * Frames {@code fromSequence} (inclusive) to {@code toSequence} (exclusive) of streams 0 to
   * {@code streams - 1}, one sequence number of every stream after another, captured 100 ms apart.
   */
  public static List<ProducerRecord<byte[], byte[]>> frames(
      String topic, int streams, int fromSequence, int toSequence, long start, int size) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int t = fromSequence; t < toSequence; t++) {
      for (int s = 0; s < streams; s++) {
        records.add(record(topic, streamId(s), rawFrame(streamId(s), t, start + t * 100L, size, pixels(size, s, t))));
      }
    }
    return records;
  }

  /**
   * What the model writes for frames 0 to {@code frames - 1} of each stream when run without
   * Flink, every stream's memory carried from frame to frame: {@code streamId#sequence -> caption}.
   */
  public static Map<String, String> runModelDirectly(CasaStreamJobOptions options, int streams, int frames, int size) {
    return runModel(options, streams, frames, size, true);
  }

  /**
   * Share of the frames after each stream's first whose text, run with a reset memory, differs from
   * the text with the memory carried, for which a frame lost or applied twice inside the job's
   * state would show in the committed text. The tiny test model's is about 0.9 (525 of 580 frames
   * in the job's end-to-end test).
   */
  static final double MIN_MEMORY_SHAPED_SHARE = 0.8;

  /**
   * Fails unless the texts the job must commit ({@code expected}, from {@link #runModelDirectly})
   * depend on the streams' memory: for at least {@link #MIN_MEMORY_SHAPED_SHARE} of the frames
   * after each stream's first, the same frame run with a reset memory gives another text. Without
   * that, an end-to-end test could not see a frame lost or applied twice inside state.
   */
  public static void assertTextDependsOnMemory(CasaStreamJobOptions options, int streams, int frames, int size,
      Map<String, String> expected) {
    Map<String, String> reset = runModel(options, streams, frames, size, false);
    int later = 0;
    int differ = 0;
    for (int s = 0; s < streams; s++) {
      for (int t = 1; t < frames; t++) {
        String key = streamId(s) + "#" + t;
        later++;
        if (!reset.get(key).equals(expected.get(key))) {
          differ++;
        }
      }
    }
    assertThat((double) differ / later)
        .as("share of frames whose text changes with a reset memory (%d of %d)", differ, later)
        .isGreaterThanOrEqualTo(MIN_MEMORY_SHAPED_SHARE);
  }

  private static Map<String, String> runModel(CasaStreamJobOptions options, int streams, int frames, int size,
      boolean carryMemory) {
    Map<String, String> texts = new HashMap<>();
    try (FrameModel direct = CasaStreamJob.modelFactory(options).load(ComputeDevice.CPU)) {
      byte[][] memories = new byte[streams][];
      for (int t = 0; t < frames; t++) {
        List<StreamRequest> requests = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
          requests.add(new StreamRequest(carryMemory ? memories[s] : null, pixels(size, s, t), List.of()));
        }
        List<StreamResult> results = direct.step(requests);
        for (int s = 0; s < streams; s++) {
          memories[s] = results.get(s).memory();
          texts.put(streamId(s) + "#" + t, results.get(s).captionWithEvents());
        }
      }
    }
    return texts;
  }

  /** Decodes committed text-event records, checking each is keyed by its stream id. */
  public static List<TextEvent> textEvents(List<ConsumerRecord<byte[], byte[]>> records) {
    List<TextEvent> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TextEvent event;
      try {
        event = AvroCodec.textEvents().decode(record.value());
      } catch (DecodeException e) {
        throw new AssertionError("a committed text event is not a TextEvent message", e);
      }
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("record key").isEqualTo(event.getStreamId());
      events.add(event);
    }
    return events;
  }

  /**
   * The captions as {@code streamId#sequence -> text}; fails on any event that is not a caption
   * and on a second caption for the same frame.
   */
  public static Map<String, String> captionsByFrame(List<TextEvent> events) {
    Map<String, String> captions = new HashMap<>();
    for (TextEvent event : events) {
      assertThat(event.getKind()).as("kind of %s", event.getEventId()).isEqualTo(TextEventKind.CAPTION);
      assertThat(captions.put(event.getStreamId() + "#" + event.getFrameSequence(), event.getText()))
          .as("a second event for %s#%d", event.getStreamId(), event.getFrameSequence()).isNull();
    }
    return captions;
  }
}
