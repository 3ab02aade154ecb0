package casastream.jobs.reliability;

import static casastream.jobs.EndToEndFixture.captionsByFrame;
import static casastream.jobs.EndToEndFixture.frames;
import static casastream.jobs.EndToEndFixture.runModelDirectly;
import static casastream.jobs.EndToEndFixture.textEvents;
import static org.assertj.core.api.Assertions.assertThat;

import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import casastream.jobs.EndToEndFixture;
import casastream.operators.queries.EmitPolicy;
import casastream.schemas.TextEvent;
import casastream.testkit.InProcessKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling, end to end: the job runs at parallelism 2 over the first frames of every stream and
 * stops with a savepoint; that savepoint is then restored at parallelism 3 and, separately, at
 * parallelism 1, each feeding on the remaining frames and writing to its own text-events topic.
 * Streams move between subtasks on each restore; a stream whose memory did not move with it would
 * caption its later frames differently from a run of the model that never rescaled.
 */
class RescaleEndToEndTest {

  @RegisterExtension
  static final InProcessKafka KAFKA = new InProcessKafka();

  private static final int STREAMS = 8;
  private static final int FRAMES = 30;
  private static final int BEFORE_SAVEPOINT = 12;

  @TempDir
  Path model;

  @TempDir
  Path checkpoints;

  @TempDir
  Path savepoints;

  @Test
  void everyStreamsMemoryCarriesOnWhenASavepointAtParallelismTwoIsRestoredAtThreeAndAtOne() throws Exception {
    EndToEndFixture.writeModel(model);
    int size = EndToEndFixture.imageSize();
    EndToEndFixture.createJobTopics(KAFKA, 4, false);
    for (int parallelism : new int[] {2, 3, 1}) {
      KAFKA.createTopic(textEventsTopic(parallelism), 2);
    }
    long start = System.currentTimeMillis();
    KAFKA.produce(frames("frames", STREAMS, 0, BEFORE_SAVEPOINT, start, size));

    JobClient before = submit(options(2), null);
    String savepoint;
    try {
      KAFKA.readCommitted(textEventsTopic(2), STREAMS * BEFORE_SAVEPOINT, Duration.ofSeconds(120));
      savepoint = before.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.DEFAULT)
          .get(60, TimeUnit.SECONDS);
    } catch (Exception | AssertionError e) {
      before.cancel().get(60, TimeUnit.SECONDS);
      throw e;
    }
    List<TextEvent> beforeEvents = textEvents(KAFKA.readAllCommitted(textEventsTopic(2), Duration.ofSeconds(10)));
    assertThat(beforeEvents).as("events before the savepoint").hasSize(STREAMS * BEFORE_SAVEPOINT);

    KAFKA.produce(frames("frames", STREAMS, BEFORE_SAVEPOINT, FRAMES, start, size));
    Map<String, String> expected = runModelDirectly(options(2), STREAMS, FRAMES, size);
    EndToEndFixture.assertTextDependsOnMemory(options(2), STREAMS, FRAMES, size, expected);
    for (int parallelism : new int[] {3, 1}) {
      JobClient after = submit(options(parallelism), savepoint);
      try {
        KAFKA.readCommitted(textEventsTopic(parallelism), STREAMS * (FRAMES - BEFORE_SAVEPOINT), Duration.ofSeconds(120));
      } finally {
        after.cancel().get(60, TimeUnit.SECONDS);
      }
      List<TextEvent> events = new ArrayList<>(beforeEvents);
      events.addAll(textEvents(KAFKA.readAllCommitted(textEventsTopic(parallelism), Duration.ofSeconds(10))));
      assertThat(events).as("events of the run restored at parallelism %d", parallelism).hasSize(STREAMS * FRAMES);
      assertThat(captionsByFrame(events))
          .as("captions of the run saved at parallelism 2 and restored at %d", parallelism)
          .isEqualTo(expected);
    }
  }

  private CasaStreamJobOptions options(int parallelism) {
    return CasaStreamJobOptions.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .modelPath(model)
        .groupId("rescale")
        .transactionalIdPrefix("rescale")
        .textEventsTopic(textEventsTopic(parallelism))
        .maxBatchSize(STREAMS)
        .maxWait(Duration.ofMillis(50))
        .maxFrameAge(Duration.ZERO)
        .emitPolicy(EmitPolicy.everyFrame())
        .checkpointInterval(Duration.ofMillis(500))
        .parallelism(parallelism)
        .build();
  }

  private static String textEventsTopic(int parallelism) {
    return "text-events-p" + parallelism;
  }

  private JobClient submit(CasaStreamJobOptions options, String restoreFrom) throws Exception {
    Configuration conf = EndToEndFixture.checkpointedJob(checkpoints, 1);
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    CasaStreamJob.build(env, options, CasaStreamJob.modelFactory(options));
    return env.executeAsync("casa-stream rescale to " + options.parallelism());
  }
}
