package casastream.bench;

import casastream.model.checkpoint.Checkpoint;
import casastream.model.memory.StreamMemory;
import casastream.operators.inference.CasaFrameModelFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue benchmark 5: the whole job (embedded broker, MiniCluster, RocksDB, checkpoints, exactly-once
 * sinks) with 100 and 1,000 camera streams at a fixed frame rate: sustained frames/s and latency
 * from capture to committed event. Then the job's own overhead: the same frames through the job
 * with inference switched off, against a plain Kafka consumer reading the same topic.
 */
public final class PipelineBenchmark implements Benchmark {

  /** One frame every 5 s per camera, a usual captioning rate. */
  static final double FPS_PER_STREAM = 0.2;
  private static final long SEED = 29;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration DRAIN = Duration.ofSeconds(30);
  /** Longer than the max frame age plus a checkpoint: no new event for this long, none is coming. */
  private static final Duration QUIET = Duration.ofSeconds(15);
  /** The job's default: under overload, frames older than this are dropped rather than queued. */
  private static final Duration MAX_FRAME_AGE = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "pipeline";
  }

  @Override
  public String description() {
    return "the whole job at 100 and 1,000 streams: sustained frames/s, capture-to-commit p50/p99, overhead vs a plain consumer";
  }

  /** What one load level measured. */
  record Level(int streams, double fpsPerStream, double offeredFps, long sent, int committed, double sustainedFps,
               double p50Millis, double p99Millis, double messageBytes) {

    boolean keptUp() {
      return sustainedFps >= 0.95 * offeredFps;
    }
  }

  /** A load level: streams, each sending frames at a fixed rate. */
  private record Load(int streams, double fpsPerStream) {}

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    // 100 and 1,000 streams at the usual captioning rate, and 1,000 streams at a tenth of it (the
    // same offered frames/s as 100 at the full rate: ten times the keyed state, the same model work)
    List<Load> levels = context.quick() ? List.of(new Load(100, FPS_PER_STREAM))
        : List.of(new Load(100, FPS_PER_STREAM), new Load(1_000, FPS_PER_STREAM / 10), new Load(1_000, FPS_PER_STREAM));
    double seconds = context.quick() ? 10 : 40;
    int overheadFrames = context.quick() ? 5_000 : 30_000;
    List<Level> measured = new ArrayList<>();
    double plainFps;
    double jobFps;
    double smallStateFps;
    try (PipelineRig rig = new PipelineRig()) {
      Path modelDir = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(modelDir).imageSize();
      for (Load load : levels) {
        // at least two frames of every stream inside the window
        measured.add(level(context, rig, modelDir, side, load, Math.max(seconds, 2 / load.fpsPerStream())));
      }
      int memoryBytes = StreamMemory.byteSize(Checkpoint.readConfig(modelDir));
      double[] overhead = overhead(context, rig, side, memoryBytes, overheadFrames);
      plainFps = overhead[0];
      jobFps = overhead[1];
      smallStateFps = overhead[2];
    }
    double ratio = jobFps / plainFps;
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("seconds_per_level", "max(" + seconds + ", 2 / frame rate per stream)")
        .parameter("checkpoint_interval_ms", CHECKPOINT_INTERVAL.toMillis())
        .parameter("parallelism", 1)
        .parameter("max_batch_size", 64)
        .parameter("frames", "JPEG of the synthetic world at the model's size, Avro single-object encoded")
        .parameter("overhead_frames", overheadFrames);
    List<Integer> streams = new ArrayList<>();
    List<Double> fpsPerStream = new ArrayList<>();
    List<Double> offered = new ArrayList<>();
    List<Double> sustained = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    result.row("streams", "frame/s each", "offered frames/s", "sustained frames/s", "committed", "p50 ms", "p99 ms");
    for (Level level : measured) {
      streams.add(level.streams());
      fpsPerStream.add(level.fpsPerStream());
      offered.add(level.offeredFps());
      sustained.add(level.sustainedFps());
      p50.add(level.p50Millis());
      p99.add(level.p99Millis());
      result.row(level.streams(), level.fpsPerStream(), level.offeredFps(), level.sustainedFps(),
          level.committed() + "/" + level.sent(), level.p50Millis(), level.p99Millis());
    }
    result.series("streams", streams)
        .series("fps_per_stream", fpsPerStream)
        .series("offered_fps", offered)
        .series("sustained_fps", sustained)
        .series("latency_p50_ms", p50)
        .series("latency_p99_ms", p99)
        .figure("frame_message_bytes", measured.get(0).messageBytes())
        .figure("plain_consumer_fps", plainFps)
        .figure("inference_off_job_fps", jobFps)
        .figure("inference_off_small_state_job_fps", smallStateFps)
        .figure("overhead_ratio", ratio);
    result.row("inference off", "-", "-", jobFps, "-", "-", "-");
    result.row("inf. off, 16 B state", "-", "-", smallStateFps, "-", "-", "-");
    result.row("plain consumer", "-", "-", plainFps, "-", "-", "-");
    result.target(Target.of("job with inference off at least 70% of a plain consumer's frames/s",
        String.format("%.1f%%", 100 * ratio), ratio >= 0.70));
    for (Level level : measured) {
      result.target(Target.of(level.streams() + " streams at " + level.fpsPerStream() + " frame/s sustained",
          String.format("%.1f of %.1f frames/s", level.sustainedFps(), level.offeredFps()), level.keptUp()));
    }
    result.note("Latency runs from the frame's capture time (set when it was sent) to the moment a read_committed"
        + " consumer received its text event: batching wait, inference, and the wait for the checkpoint that"
        + " commits the event (interval " + CHECKPOINT_INTERVAL.toMillis() + " ms).");
    result.note("Sustained frames/s counts committed events of frames captured during the load window, over the"
        + " window; frames older than the job's max frame age (10 s) are dropped by design when it falls behind.");
    return result;
  }

  private Level level(BenchContext context, PipelineRig rig, Path modelDir, int side, Load level, double seconds)
      throws Exception {
    int streams = level.streams();
    double fps = level.fpsPerStream();
    String name = "pipeline-" + streams + "-" + Math.round(fps * 1000);
    PipelineRig.Job job = rig.start(name, name + "-frames", name + "-events",
        CasaFrameModelFactory.fromCheckpoint(modelDir).withDecoding(context.decoding()), modelDir, CHECKPOINT_INTERVAL, MAX_FRAME_AGE);
    try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), streams, side, SEED);
         CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), name + "-events")) {
      // one frame of every stream first, so the model is loaded before timing; on a slow start some of
      // these frames exceed the job's max frame age and are dropped, which is why fewer may come back
      load.send(name + "-frames", 0, streams, 0);
      load.flush();
      int warm = events.awaitCount(streams, Duration.ofMinutes(2), QUIET);
      context.progress("  pipeline: %d streams warm (%d events); sending %.0f s at %.2f frame/s each",
          streams, warm, seconds, fps);
      long start = System.currentTimeMillis();
      long sent = load.sendAtRate(name + "-frames", 1, fps, seconds);
      long end = System.currentTimeMillis();
      events.awaitCount(warm + (int) sent, DRAIN, QUIET);
      CommittedEvents.Window window = events.window(start, end);
      double p50 = window.p50Millis();
      double p99 = window.p99Millis();
      double sustained = window.perSecond();
      context.progress("  pipeline: %d streams: %d of %d committed, %.1f frames/s, p50 %.0f ms, p99 %.0f ms",
          streams, window.count(), sent, sustained, p50, p99);
      return new Level(streams, fps, streams * fps, sent, window.count(), sustained, p50, p99,
          load.meanMessageBytes(sent + streams));
    } finally {
      rig.cancel(job);
    }
  }

  /**
   * {plain consumer, job with inference off, the same with a 16-byte memory, then the two job
   * figures again over the second half of the frames only} in frames/s over one topic of
   * {@code frames} frames: the third run tells how much of the job's cost is moving each stream's
   * memory through RocksDB; the last two leave out the job's start (the JIT compiling Flink's,
   * Kafka's and the job's code, each stream's first state write).
   */
  static double[] overhead(BenchContext context, PipelineRig rig, int side, int memoryBytes, int frames)
      throws Exception {
    int streams = 1_000;
    String topic = "overhead-frames";
    rig.createTopic(topic);
    try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), streams, side, SEED)) {
      for (int round = 0; round < frames / streams; round++) {
        load.send(topic, 0, streams, round);
      }
      load.flush();
    }
    int total = frames / streams * streams;
    double plain = PlainConsumer.recordsPerSecond(rig.bootstrapServers(), topic, total, Duration.ofMinutes(5));
    context.progress("  pipeline: plain consumer %.0f frames/s over %d frames", plain, total);
    double[] off = inferenceOff(context, rig, topic, "overhead", side, memoryBytes, total);
    double[] small = inferenceOff(context, rig, topic, "overhead-small", side, 16, total);
    return new double[] {plain, off[0], small[0], off[1], small[1]};
  }

  /**
   * {all frames, the second half} in frames/s of the job with inference off over {@code total}
   * frames already in {@code topic}.
   */
  private static double[] inferenceOff(BenchContext context, PipelineRig rig, String topic, String name, int side,
                                       int memoryBytes, int total) throws Exception {
    // every frame is kept (max frame age 0): they were all written before the job started
    PipelineRig.Job job = rig.start(name, topic, name + "-events",
        new InferenceOffModel.Factory(side, memoryBytes), null, CHECKPOINT_INTERVAL, Duration.ZERO);
    try (CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), name + "-events")) {
      int seen = events.awaitCount(total, Duration.ofMinutes(10));
      if (seen < total) {
        throw new IllegalStateException("the job with inference off committed " + seen + " of " + total
            + " events within 10 minutes");
      }
      double[] rates = events.emitRates();
      double fps = rates[0];
      double steady = rates[1];
      context.progress("  pipeline: job with inference off, %d B memory per stream: %.0f frames/s (second half %.0f)",
          memoryBytes, fps, steady);
      return new double[] {fps, steady};
    } finally {
      rig.cancel(job);
    }
  }
}
