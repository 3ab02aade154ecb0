package casastream.jobs.reliability;

import static casastream.jobs.EndToEndFixture.captionsByFrame;
import static casastream.jobs.EndToEndFixture.frames;
import static casastream.jobs.EndToEndFixture.runModelDirectly;
import static casastream.jobs.EndToEndFixture.textEvents;
import static org.assertj.core.api.Assertions.assertThat;

import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import casastream.jobs.EndToEndFixture;
import casastream.jobs.FailureInjectingModelFactory;
import casastream.operators.queries.EmitPolicy;
import casastream.schemas.TextEvent;
import casastream.testkit.InProcessKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover, end to end: frames arrive progressively (one frame of every stream each 100 ms) while
 * the job (MiniCluster, RocksDB, exactly-once Kafka sinks, the real tiny CASA model) fails twice
 * inside the inference operator at random model steps and restores itself from its last
 * checkpoint, and once is cancelled at a random point and submitted again, restored from its
 * newest retained checkpoint. A lost, repeated or reordered frame would change its stream's memory
 * and so the text of its later frames; a repeated commit would show as a second event.
 */
class FailoverEndToEndTest {

  @RegisterExtension
  static final InProcessKafka KAFKA = new InProcessKafka();

  private static final int STREAMS = 6;
  private static final int FRAMES = 40;
  private static final Duration STEP_INTERVAL = Duration.ofMillis(100);
  private static final String TRANSACTIONAL_ID_PREFIX = "failover";

  @TempDir
  Path model;

  @TempDir
  Path checkpoints;

  @Test
  void everyFrameGetsOneCommittedCaptionEqualToAFailureFreeRunAcrossOperatorFailuresAndAJobRestart()
      throws Exception {
    long seed = Long.getLong("failover.seed", System.nanoTime());
    Random random = new Random(seed);
    String run = "run with -Dfailover.seed=" + seed;
    // Each stream needs one model step per frame, so at least FRAMES steps run: both are reached.
    int firstFailure = 2 + random.nextInt(FRAMES / 2 - 2);
    int secondFailure = FRAMES / 2 + random.nextInt(FRAMES / 2);
    int restartAfterFrame = FRAMES / 4 + random.nextInt(FRAMES / 2);

    EndToEndFixture.writeModel(model);
    int size = EndToEndFixture.imageSize();
    EndToEndFixture.createJobTopics(KAFKA, 3, true);
    CasaStreamJobOptions options = CasaStreamJobOptions.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .modelPath(model)
        .groupId("failover")
        .transactionalIdPrefix(TRANSACTIONAL_ID_PREFIX)
        .maxBatchSize(STREAMS)
        .maxWait(Duration.ofMillis(50))
        .maxFrameAge(Duration.ZERO)
        .emitPolicy(EmitPolicy.everyFrame())
        .checkpointInterval(Duration.ofMillis(400))
        .parallelism(2)
        .build();
    FailureInjectingModelFactory.reset();
    FailureInjectingModelFactory.failAtSteps(List.of(firstFailure, secondFailure));

    long start = System.currentTimeMillis();
    KAFKA.produce(frames("frames", STREAMS, 0, 1, start, size));
    JobClient job = submit(options, null);
    Path restoredFrom;
    try {
      // Frames arrive while the job runs (sent before it is up, they would all be waiting), and
      // some arrive only after the restart, so that the restored job has work left to get right.
      KAFKA.readCommitted("text-events", STREAMS, Duration.ofSeconds(120));
      produceProgressively(1, restartAfterFrame, start, size);
      // Committed events mean completed checkpoints that hold memory: restarting before any would prove nothing.
      KAFKA.readCommitted("text-events", STREAMS * restartAfterFrame / 2, Duration.ofSeconds(120));
      job.cancel().get(60, TimeUnit.SECONDS);
      restoredFrom = newestRetainedCheckpoint()
          .orElseThrow(() -> new AssertionError("no retained checkpoint after cancelling; " + run));
      job = submit(options, restoredFrom);
      produceProgressively(restartAfterFrame, FRAMES, start, size);
      KAFKA.readCommitted("text-events", STREAMS * FRAMES, Duration.ofSeconds(120));
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }

    List<TextEvent> events = textEvents(KAFKA.readAllCommitted("text-events", Duration.ofSeconds(10)));
    Map<String, String> committed = captionsByFrame(events);
    Set<String> eventIds = events.stream().map(TextEvent::getEventId).collect(Collectors.toSet());
    Map<String, String> expected = runModelDirectly(options, STREAMS, FRAMES, size);
    EndToEndFixture.assertTextDependsOnMemory(options, STREAMS, FRAMES, size, expected);

    assertThat(FailureInjectingModelFactory.failures())
        .as("failures injected at model steps %d and %d; %s", firstFailure, secondFailure, run)
        .isEqualTo(2);
    assertThat(events).as("committed events; %s", run).hasSize(STREAMS * FRAMES);
    assertThat(eventIds).as("distinct event ids; %s", run).hasSize(events.size());
    assertThat(Set.copyOf(expected.values())).as("distinct texts of the model").hasSizeGreaterThan(10);
    assertThat(committed).as("captions after failures at steps %d and %d and a job restart after frame %d; %s",
        firstFailure, secondFailure, restartAfterFrame, run).isEqualTo(expected);
  }

  private JobClient submit(CasaStreamJobOptions options, Path restoreFrom) throws Exception {
    Configuration conf = EndToEndFixture.checkpointedJob(checkpoints, 4);
    if (restoreFrom != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    CasaStreamJob.build(env, options,
        new FailureInjectingModelFactory(CasaStreamJob.modelFactory(options)));
    return env.executeAsync("casa-stream failover");
  }

  /** Sends frames {@code from} to {@code to - 1} of every stream, one sequence number each 100 ms. */
  private static void produceProgressively(int from, int to, long start, int size) {
    for (int t = from; t < to; t++) {
      KAFKA.produce(frames("frames", STREAMS, t, t + 1, start, size));
      sleep(STEP_INTERVAL);
    }
  }

  /**
   * The highest-numbered {@code <job>/chk-N} directory with its {@code _metadata} written: a
   * completed checkpoint. Called once the first job is cancelled, when only its checkpoints are here.
   */
  private Optional<Path> newestRetainedCheckpoint() {
    try (Stream<Path> files = Files.find(checkpoints, 3,
        (path, attributes) -> path.getFileName().toString().equals("_metadata")
            && path.getParent().getFileName().toString().startsWith("chk-"))) {
      return files.map(Path::getParent)
          .max(Comparator.comparingLong(chk -> Long.parseLong(chk.getFileName().toString().substring(4))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
