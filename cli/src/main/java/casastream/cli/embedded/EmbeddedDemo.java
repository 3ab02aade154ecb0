package casastream.cli.embedded;

import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import casastream.cli.tools.CasaTopics;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.cli.tools.produce.FramePublisher;
import casastream.cli.tools.produce.ProduceRun;
import casastream.cli.tools.produce.SyntheticSource;
import casastream.cli.tools.tail.CommittedTextEvents;
import casastream.cli.tools.tail.TextEventFilter;
import casastream.cli.tools.tail.TextEventFormat;
import casastream.cli.wall.WallCommand;
import casastream.cli.wall.WallOptions;
import casastream.cli.wall.WallServer;
import casastream.model.world.WorldConfig;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.kafka.Topics;
import casastream.schemas.FrameEncoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The main job on its embedded default, in one process: a Kafka broker (or a given one), a Flink
 * MiniCluster with the dashboard, the streaming job of {@link CasaStreamJob} with RocksDB and
 * checkpoints, simulated cameras of the synthetic world, and a read_committed reader that prints
 * each text event once it is committed. Stops on its duration, on the stop signal, or when the job
 * fails; then it stops the cameras, lets the last checkpoints commit, cancels the job and closes
 * everything it started.
 */
public final class EmbeddedDemo {

  /** Seed of the first simulated camera: streams the shipped model never trained on. */
  static final long FIRST_CAMERA_SEED = 900_000;
  private static final Duration THREAD_JOIN = Duration.ofSeconds(15);
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  /** What a run did. */
  public record Result(long framesSent, long eventsCommitted) {}

  private final DemoOptions options;
  private final PrintWriter out;
  private final PrintWriter err;
  private volatile String wallUrl;

  /**
   * @param out where events go (text lines, or JSON lines with --json)
   * @param err where progress and the status line go
   */
  public EmbeddedDemo(DemoOptions options, PrintWriter out, PrintWriter err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /** Runs until the duration passes or {@code stop} says so; throws {@link ToolException} if the job fails. */
  public Result run(BooleanSupplier stop) throws Exception {
    Path work = Files.createTempDirectory("casa-stream-demo");
    DemoStatus status = new DemoStatus();
    EmbeddedKafka kafka = null;
    WallServer wall = null;
    try {
      kafka = options.bootstrap() == null ? EmbeddedKafka.start(options.kafkaHost(), options.kafkaPort()) : null;
      String bootstrap = kafka != null ? kafka.bootstrapServers() : options.bootstrap();
      KafkaAccess access = new KafkaAccess(bootstrap);
      if (kafka == null) {
        access.requireReachable();
        try (Admin admin = access.admin()) {
          CasaTopics.ensure(admin);
        }
      }
      info("Kafka on " + bootstrap + (kafka != null ? " (embedded)" : ""));
      wall = startWall(access);
      try (CommittedTextEvents events = new CommittedTextEvents(access, Topics.TEXT_EVENTS, false)) {
        return runJob(access, events, status, work, stop);
      }
    } finally {
      if (wall != null) {
        wall.close();
        wallUrl = null;
      }
      if (kafka != null) {
        kafka.close();
      }
      deleteQuietly(work);
    }
  }

  private Result runJob(KafkaAccess access, CommittedTextEvents events, DemoStatus status, Path work,
      BooleanSupplier stop) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
        DemoCluster.configuration(options.webPort(), options.bind(), work));
    CasaStreamJobOptions jobOptions = CasaStreamJobOptions.builder()
        .bootstrapServers(access.bootstrapServers())
        .groupId("casa-stream-demo")
        .transactionalIdPrefix("casa-stream-demo")
        .modelPath(options.model())
        .decoding(options.decoding())
        .checkpointInterval(options.checkpointInterval())
        .maxFrameAge(options.maxFrameAge())
        // One model instance batching every stream: the best use of a laptop's few cores.
        .parallelism(1)
        .build();
    CasaStreamJob.build(env, jobOptions, model(jobOptions));
    JobClient job = env.executeAsync("casa-stream demo");
    info("Flink job " + job.getJobID() + " running"
        + (options.webPort() == 0 ? "" : "; dashboard on http://localhost:" + options.webPort()));

    TextEventFormat format = options.json() ? TextEventFormat.JSON : TextEventFormat.HUMAN;
    Thread printer = new Thread(() -> events.forEach(TextEventFilter.all(), 0, () -> false, event -> {
      status.committed(event, System.currentTimeMillis());
      synchronized (out) {
        out.println(format.format(event));
        out.flush();
      }
    }), "casa-demo-events");
    printer.setDaemon(true);
    printer.start();

    StopFlag camerasStop = new StopFlag();
    List<Throwable> cameraFailure = new ArrayList<>(1);
    Thread cameras = startCameras(access, status, camerasStop, cameraFailure);
    try {
      waitForEnd(job, status, stop);
      camerasStop.set();
      join(cameras);
      if (!job.getJobExecutionResult().isDone()) {
        // Frames already in the job become events within a checkpoint or two: let them commit.
        Thread.sleep(options.checkpointInterval().multipliedBy(2).plusSeconds(1).toMillis());
      }
      failIfJobFailed(job);
      if (!cameraFailure.isEmpty()) {
        throw new ToolException("The simulated cameras stopped: " + cameraFailure.get(0).getMessage(),
            cameraFailure.get(0));
      }
    } finally {
      camerasStop.set();
      cancel(job);
      events.wakeup();
      join(printer);
      if (!options.statusInterval().isZero()) {
        info(status.line());
      }
    }
    return new Result(status.framesSent(), status.eventsCommitted());
  }

  /** The stream wall on the demo's Kafka, when asked for. */
  private WallServer startWall(KafkaAccess access) {
    if (options.wallPort() == DemoOptions.NO_WALL) {
      return null;
    }
    WallServer wall = WallServer.start(access, WallOptions.of(options.bind(), options.wallPort()));
    wallUrl = WallCommand.url(options.bind(), wall.port());
    info("stream wall on " + wallUrl);
    return wall;
  }

  /** The wall's address while the demo runs it, else null. */
  public String wallUrl() {
    return wallUrl;
  }

  /** The model the job will load, its config read now so that a missing or bad one fails here, clearly. */
  private FrameModelFactory model(CasaStreamJobOptions jobOptions) {
    try {
      FrameModelFactory model = CasaStreamJob.modelFactory(jobOptions);
      model.imageSize();
      return model;
    } catch (RuntimeException e) {
      throw new ToolException("Cannot use the model " + (options.model() == null ? "shipped in the jar"
          : "in " + options.model()) + ": " + ToolException.rootMessage(e)
          + "; give a checkpoint directory (config.json + model.safetensors) with --model DIR", e);
    }
  }

  private Thread startCameras(KafkaAccess access, DemoStatus status, StopFlag stop, List<Throwable> failure) {
    Thread thread = new Thread(() -> {
      if (options.streams() == 0) {
        return;
      }
      List<ProduceRun.StreamInput> inputs = new ArrayList<>();
      WorldConfig world = SyntheticSource.worldOf(options.model());
      for (int i = 0; i < options.streams(); i++) {
        inputs.add(new ProduceRun.StreamInput("cam-" + (i + 1),
            new SyntheticSource(world, FIRST_CAMERA_SEED + i, 0, options.fps()), FrameEncoding.PNG));
      }
      try (FramePublisher publisher = FramePublisher.open(access, Topics.FRAMES)) {
        new ProduceRun(publisher, inputs, true, true, status).run(Duration.ZERO, stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        synchronized (failure) {
          failure.add(e);
        }
        stop.set();
      }
    }, "casa-demo-cameras");
    thread.setDaemon(true);
    thread.start();
    if (options.streams() > 0) {
      info(options.streams() + " simulated camera(s) cam-1..cam-" + options.streams() + " at "
          + options.fps() + " fps");
    }
    return thread;
  }

  private void waitForEnd(JobClient job, DemoStatus status, BooleanSupplier stop) throws InterruptedException {
    long start = System.nanoTime();
    long end = options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
    long statusEvery = options.statusInterval().toNanos();
    long nextStatus = start + statusEvery;
    while (!stop.getAsBoolean() && System.nanoTime() < end && !job.getJobExecutionResult().isDone()) {
      Thread.sleep(100);
      if (statusEvery > 0 && System.nanoTime() >= nextStatus) {
        info(status.line());
        nextStatus += statusEvery;
      }
    }
  }

  private static void failIfJobFailed(JobClient job) {
    if (!job.getJobExecutionResult().isDone()) {
      return;
    }
    try {
      job.getJobExecutionResult().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new ToolException("The streaming job failed: " + ToolException.rootMessage(e)
          + " (the log above has the details)", e);
    }
  }

  private static void cancel(JobClient job) {
    if (job.getJobExecutionResult().isDone()) {
      return;
    }
    try {
      job.cancel().get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new ToolException("The streaming job did not cancel within " + CANCEL_TIMEOUT.toSeconds() + " s: " + e, e);
    }
  }

  private static void join(Thread thread) throws InterruptedException {
    thread.join(THREAD_JOIN.toMillis());
  }

  private void info(String line) {
    synchronized (out) {
      err.println("casa-stream demo: " + line);
      err.flush();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory left behind is harmless.
    }
  }

  /** A stop request for the cameras, separate from the user's, so they stop before the job. */
  private static final class StopFlag implements BooleanSupplier {
    private volatile boolean set;

    void set() {
      set = true;
    }

    @Override
    public boolean getAsBoolean() {
      return set;
    }
  }
}
