package casastream.operators.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.kafka.BytesToTopic;
import casastream.operators.kafka.TwoSlotCluster;
import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.validation.FrameValidator;
import casastream.operators.validation.ValidFrame;
import casastream.operators.validation.ValidationJobUnderTest;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.Frame;
import casastream.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hostile corpus, mixed with the frames of two well-behaved streams, through a real
 * broker and the validation stage on a Flink MiniCluster (RocksDB, checkpoints, exactly-once
 * sinks, no restarts allowed): every hostile message lands once in {@code frames-dlq} with its
 * reason and is counted under that reason; the job runs to the end; the good streams' frames come
 * out exactly as the validator gives them on their own.
 */
class HostileInputEndToEndTest {

  private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TwoSlotCluster.create(METRICS.addToConfiguration(new Configuration()));

  private static final String FRAMES = "hostile-frames";
  private static final String DLQ = "hostile-frames-dlq";
  private static final String VALID = "hostile-frames-valid";
  private static final List<String> GOOD_STREAMS = List.of("cam-good-a", "cam-good-b");
  private static final int GOOD_FRAMES_PER_STREAM = 6;

  @TempDir Path files;

  @Test
  void everyHostileInputIsDeadLetteredOnceWithItsReasonAndTheGoodStreamsPassUnchanged()
      throws Exception {
    long now = System.currentTimeMillis();
    List<HostileInput> corpus = HostileCorpus.generate(now, files);
    Map<String, HostileInput> hostileAt = new HashMap<>();
    Map<String, List<String>> expectedValid = new TreeMap<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    long[] nextOffset = new long[2];
    FrameValidator reference = new FrameValidator(HostileCorpus.options(files));
    int hostile = 0;
    for (int round = 0; hostile < corpus.size() || round < GOOD_FRAMES_PER_STREAM; round++) {
      // One frame of each good stream (each stream on its own partition), then hostile messages.
      for (int partition = 0; partition < 2 && round < GOOD_FRAMES_PER_STREAM; partition++) {
        String stream = GOOD_STREAMS.get(partition);
        Frame frame = CorpusFrames.good(stream, 60 + 90 * partition, round, now - 1000 + round);
        byte[] value = CorpusFrames.encode(frame);
        records.add(new ProducerRecord<>(FRAMES, partition, CorpusFrames.utf8(stream), value));
        RawKafkaRecord raw = new RawKafkaRecord(FRAMES, partition, nextOffset[partition]++, 0,
            CorpusFrames.utf8(stream), value);
        expectedValid.computeIfAbsent(stream, s -> new ArrayList<>())
            .add(describe(reference.validate(raw, now)));
      }
      for (int i = 0; i < 4 && hostile < corpus.size(); i++, hostile++) {
        HostileInput input = corpus.get(hostile);
        int partition = hostile % 2;
        records.add(new ProducerRecord<>(FRAMES, partition, input.key(), input.value()));
        hostileAt.put(partition + "@" + nextOffset[partition]++, input);
      }
    }
    KAFKA.createTopic(FRAMES, 2);
    KAFKA.createTopic(DLQ, 1);
    KAFKA.createTopic(VALID, 1);
    KAFKA.produce(records);

    JobExecutionResult result = runValidationJob();

    Map<String, DeadLetterReason> lettered = new HashMap<>();
    AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAllCommitted(DLQ, Duration.ofSeconds(30))) {
      DeadLetter letter = codec.decode(record.value());
      String at = letter.getSourcePartition() + "@" + letter.getSourceOffset();
      HostileInput input = hostileAt.get(at);
      assertThat(input).as("a dead letter for a good frame at %s: %s", at, letter.getDetail()).isNotNull();
      assertThat(lettered.put(at, letter.getReason())).as("%s dead-lettered twice", input.name()).isNull();
      assertThat(letter.getReason()).as("%s: %s", input.name(), letter.getDetail()).isEqualTo(input.reason());
      assertThat(letter.getSourceTopic()).isEqualTo(FRAMES);
      assertThat(letter.getOriginalSize()).isEqualTo(input.value().length);
      assertThat(letter.getStreamId()).isIn(null, HostileCorpus.STREAM);
    }
    assertThat(lettered.keySet()).as("every hostile input dead-lettered").isEqualTo(hostileAt.keySet());

    Map<String, List<String>> valid = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAllCommitted(VALID, Duration.ofSeconds(30))) {
      valid.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), s -> new ArrayList<>())
          .add(new String(record.value(), StandardCharsets.UTF_8));
    }
    assertThat(valid).as("the good streams' frames, in order, pixel for pixel").isEqualTo(expectedValid);

    Map<DeadLetterReason, Long> expectedCounts = new EnumMap<>(DeadLetterReason.class);
    corpus.forEach(input -> expectedCounts.merge(input.reason(), 1L, Long::sum));
    assertThat(deadLetterCounts(result)).as("dead letters counted per reason").isEqualTo(expectedCounts);
    assertThat(counterSum(result, "framesValid"))
        .isEqualTo((long) GOOD_STREAMS.size() * GOOD_FRAMES_PER_STREAM);
  }

  private JobExecutionResult runValidationJob() throws Exception {
    // No restarts: if any input made the stage throw, the job would fail and so would the test.
    return new ValidationJobUnderTest(KAFKA.bootstrapServers(), "hostile", FRAMES, DLQ,
        HostileCorpus.options(files), Duration.ofMillis(300), 0)
        .run(valid -> valid, new BytesToTopic<>(VALID,
            frame -> CorpusFrames.utf8(frame.streamId), frame -> CorpusFrames.utf8(describe(frame))));
  }

  /** A valid frame's identity and a digest of its pixels. */
  private static String describe(ValidFrame frame) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(frame.rgb);
      return frame.sequence + " " + frame.width + "x" + frame.height + " "
          + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The validation stage's deadLetters counters, summed over subtasks, by their reason group. */
  private static Map<DeadLetterReason, Long> deadLetterCounts(JobExecutionResult result) {
    Map<DeadLetterReason, Long> counts = new EnumMap<>(DeadLetterReason.class);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      long count = counterSum(result, "reason." + reason.name() + ".deadLetters");
      if (count > 0) {
        counts.put(reason, count);
      }
    }
    return counts;
  }

  private static long counterSum(JobExecutionResult result, String suffix) {
    long sum = 0;
    for (Map.Entry<String, Metric> metric : METRICS.getMetricsByIdentifiers(result.getJobID()).entrySet()) {
      if (metric.getKey().endsWith("." + suffix) && metric.getValue() instanceof Counter counter) {
        sum += counter.getCount();
      }
    }
    return sum;
  }
}
