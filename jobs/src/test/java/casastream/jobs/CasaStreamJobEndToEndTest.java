package casastream.jobs;

import static casastream.jobs.EndToEndFixture.captionsByFrame;
import static casastream.jobs.EndToEndFixture.pixels;
import static casastream.jobs.EndToEndFixture.rawFrame;
import static casastream.jobs.EndToEndFixture.record;
import static casastream.jobs.EndToEndFixture.runModelDirectly;
import static casastream.jobs.EndToEndFixture.streamId;
import static casastream.jobs.EndToEndFixture.textEvents;
import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.queries.EmitPolicy;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.Frame;
import casastream.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster (RocksDB state, 1 s checkpoints) against a real in-process
 * Kafka broker, running the real CASA model (a tiny seeded checkpoint). Midway the model fails once
 * and the job restores from its last checkpoint: any frame lost or processed twice would change
 * that stream's memory and so the text of its later frames.
 */
class CasaStreamJobEndToEndTest {

  @RegisterExtension
  static final InProcessKafka KAFKA = new InProcessKafka();

  private static final int STREAMS = 20;
  private static final int FRAMES = 30;

  @TempDir
  Path model;

  private static List<ProducerRecord<byte[], byte[]>> frames(int fromSequence, int toSequence, long start, int size) {
    return EndToEndFixture.frames("frames", STREAMS, fromSequence, toSequence, start, size);
  }

  @Test
  void commitsExactlyTheModelsTextForEveryFrameAcrossARestoreAndDeadLettersBadFrames() throws Exception {
    EndToEndFixture.writeModel(model);
    int size = EndToEndFixture.imageSize();
    EndToEndFixture.createJobTopics(KAFKA, 4, true);
    long start = System.currentTimeMillis();
    int half = FRAMES / 2;
    List<ProducerRecord<byte[], byte[]>> firstHalf = frames(0, half, start, size);
    firstHalf.add(record("frames", "cam-bad", "not an avro frame".getBytes(StandardCharsets.UTF_8)));
    firstHalf.add(record("frames", "cam-short", rawFrame("cam-short", 0, start, size, new byte[7])));
    KAFKA.produce(firstHalf);

    CasaStreamJobOptions options = CasaStreamJobOptions.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .modelPath(model)
        .groupId("e2e")
        .transactionalIdPrefix("e2e")
        .maxBatchSize(STREAMS)
        .maxWait(Duration.ofMillis(50))
        .maxFrameAge(Duration.ZERO)
        .emitPolicy(EmitPolicy.everyFrame())
        .checkpointInterval(Duration.ofSeconds(1))
        .parallelism(2)
        .build();
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    FailureInjectingModelFactory.reset();
    CasaStreamJob.build(env, options, new FailureInjectingModelFactory(CasaStreamJob.modelFactory(options)));

    JobClient job = env.executeAsync("casa-stream end to end");
    List<ConsumerRecord<byte[], byte[]>> deadLetters;
    List<ConsumerRecord<byte[], byte[]>> late;
    try {
      // Committed events mean a completed checkpoint: fail the job after it, in the second half.
      KAFKA.readCommitted("text-events", STREAMS * half, Duration.ofSeconds(120));
      FailureInjectingModelFactory.failNextStep();
      List<ProducerRecord<byte[], byte[]>> secondHalf = frames(half, FRAMES, start, size);
      // Sent again after newer frames of its stream: late.
      secondHalf.add(record("frames", streamId(3), rawFrame(streamId(3), 5, start + 500, size, pixels(size, 3, 5))));
      KAFKA.produce(secondHalf);
      KAFKA.readCommitted("text-events", STREAMS * FRAMES, Duration.ofSeconds(120));
      deadLetters = KAFKA.readCommitted("frames-dlq", 2, Duration.ofSeconds(30));
      late = KAFKA.readCommitted("frames-late", 1, Duration.ofSeconds(30));
    } finally {
      job.cancel().get();
    }
    List<ConsumerRecord<byte[], byte[]>> allEvents = KAFKA.readAllCommitted("text-events", Duration.ofSeconds(5));

    Map<String, String> committed = captionsByFrame(textEvents(allEvents));
    assertThat(FailureInjectingModelFactory.failures()).as("injected failures").isEqualTo(1);
    Map<String, String> expected = runModelDirectly(options, STREAMS, FRAMES, size);
    EndToEndFixture.assertTextDependsOnMemory(options, STREAMS, FRAMES, size, expected);
    assertThat(Set.copyOf(expected.values())).as("distinct texts of the model").hasSizeGreaterThan(10);
    assertThat(allEvents).hasSize(STREAMS * FRAMES);
    assertThat(committed).isEqualTo(expected);

    assertThat(deadLetters).extracting(r -> decodeDeadLetter(r.value()).getReason())
        .containsExactlyInAnyOrder(DeadLetterReason.NOT_AVRO, DeadLetterReason.RAW_SIZE_MISMATCH);
    Frame lateFrame = AvroCodec.frames().decode(late.get(0).value());
    assertThat(lateFrame.getStreamId()).isEqualTo(streamId(3));
    assertThat(lateFrame.getSequence()).isEqualTo(5);
  }

  private static DeadLetter decodeDeadLetter(byte[] value) {
    try {
      return AvroCodec.deadLetters().decode(value);
    } catch (Exception e) {
      throw new AssertionError("dead letter is not a DeadLetter message", e);
    }
  }
}
