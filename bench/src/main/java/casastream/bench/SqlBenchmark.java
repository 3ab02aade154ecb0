package casastream.bench;

import casastream.cli.embedded.DemoCluster;
import casastream.cli.embedded.JobCounters;
import casastream.model.checkpoint.Checkpoint;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.InferenceSettings;
import casastream.operators.kafka.Topics;
import casastream.operators.queries.EmitPolicy;
import casastream.sql.CasaTables;
import casastream.sql.format.MessageType;
import casastream.sql.predict.AsyncCaptionPredictFunction;
import casastream.sql.predict.CasaModelProviderFactory;
import casastream.sql.ptf.CasaStreamFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The SQL paths against the DataStream job, on the same frames in one run: the frames of many
 * streams are in the topic first, then each path captions every one of them and writes the captions
 * to its own topic exactly once (RocksDB, checkpoints every second, parallelism 1):
 * <ul>
 *   <li>the DataStream job (frames of many streams batched into one model step, up to 64);</li>
 *   <li>{@code CASA_STREAM}, the process table function (one frame per model step: a PTF sees one
 *       row at a time, so it cannot batch across streams);</li>
 *   <li>{@code ML_PREDICT} through the {@code casa} provider, sync (one image per step) and async
 *       (the requests in flight batched into one step); stateless, so it does less work per frame
 *       than the other two: no memory read or written, no state.</li>
 * </ul>
 * Frames/s are taken from the events' emit times, over all of them and over the second half (past
 * the start: JIT, model load). The PTF's captions are compared with the job's, frame by frame.
 */
public final class SqlBenchmark implements Benchmark {

  private static final long SEED = 41;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
  private static final int BATCH = 64;
  /** The inference operator's histogram of frames per model step. */
  private static final String JOB_BATCH_METRIC = "batchSize";

  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String description() {
    return "frames/s of CASA_STREAM, ML_PREDICT (sync, batched async) and the DataStream job on the same frames";
  }

  /** What one path measured. */
  record Measured(String path, int committed, double fps, double steadyFps, double framesPerStep,
                  Map<String, String> texts) {}

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    int streams = context.quick() ? 8 : BATCH;
    int rounds = context.quick() ? 6 : 24;
    int total = streams * rounds;
    List<Measured> paths = new ArrayList<>();
    try (PipelineRig rig = new PipelineRig()) {
      Path modelDir = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(modelDir).imageSize();
      rig.createTopic(Topics.FRAMES);
      try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), streams, side, SEED)) {
        for (int round = 0; round < rounds; round++) {
          load.send(Topics.FRAMES, 0, streams, round);
        }
        load.flush();
      }
      context.progress("  sql: %d streams x %d frames in topic %s", streams, rounds, Topics.FRAMES);
      paths.add(job(context, rig, modelDir, total));
      // through a view: Flink 2.2's planner fails on an INSERT with a column list straight from a PTF
      paths.add(sql(context, rig, modelDir, total, "casa-stream-ptf",
          "CREATE TEMPORARY VIEW casa AS SELECT event_id, stream_id, frame_sequence, capture_time, kind, text,"
              + " query_id, model_id, processing_latency_millis"
              + " FROM CASA_STREAM(input => TABLE frames PARTITION BY stream_id, uid => 'casa')",
          "INSERT INTO events (event_id, stream_id, frame_sequence, capture_time, kind, text, query_id, model_id,"
              + " processing_latency_millis) SELECT * FROM casa"));
      paths.add(sql(context, rig, modelDir, total, "ml-predict-sync", null, predict("MAP['async', 'false']")));
      paths.add(sql(context, rig, modelDir, total, "ml-predict-async", null,
          predict("MAP['async', 'true', 'max-concurrent-operations', '" + BATCH + "']")));
    }
    Measured job = paths.get(0);
    Measured ptf = paths.get(1);
    int differing = 0;
    for (Map.Entry<String, String> caption : job.texts().entrySet()) {
      if (!caption.getValue().equals(ptf.texts().get(caption.getKey()))) {
        differing++;
      }
    }
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("streams", streams)
        .parameter("frames_per_stream", rounds)
        .parameter("checkpoint_interval_ms", CHECKPOINT_INTERVAL.toMillis())
        .parameter("parallelism", 1)
        .parameter("job_max_batch_size", BATCH)
        .parameter("predict_batch_size", BATCH)
        .parameter("predict_max_concurrent_operations", BATCH)
        .parameter("frames", "JPEG of the synthetic world at the model's size, Avro single-object encoded, all in the"
            + " topic before each path starts");
    result.row("path", "model step", "frames per step", "committed", "frames/s", "frames/s, 2nd half",
        "x CASA_STREAM (2nd half)");
    List<String> names = new ArrayList<>();
    List<Double> fps = new ArrayList<>();
    List<Double> steady = new ArrayList<>();
    List<Double> perStep = new ArrayList<>();
    for (Measured path : paths) {
      names.add(path.path());
      fps.add(path.fps());
      steady.add(path.steadyFps());
      perStep.add(path.framesPerStep());
      result.row(path.path(), step(path.path()), path.framesPerStep(), path.committed() + "/" + total, path.fps(),
          path.steadyFps(), path.steadyFps() / ptf.steadyFps());
    }
    result.figure("paths", String.join(",", names))
        .series("frames_per_second", fps)
        .series("frames_per_second_second_half", steady)
        .series("frames_per_model_step", perStep)
        .figure("job_over_ptf", job.steadyFps() / ptf.steadyFps())
        .figure("predict_async_over_sync", paths.get(3).steadyFps() / paths.get(2).steadyFps())
        .figure("ptf_captions_differing_from_job", differing)
        .figure("frames", total);
    result.target(Target.of("CASA_STREAM writes the job's caption for every frame",
        (total - differing) + " of " + total + " equal",
        differing == 0 && ptf.texts().size() == total && job.texts().size() == total));
    result.note("CASA_STREAM runs one frame per model step; the job batches the frames of many streams into one."
        + " The ratio job / CASA_STREAM is what the PTF's lack of batching costs at this load.");
    result.note("ML_PREDICT is stateless: each image is captioned with a fresh memory, and no state is read or"
        + " written, so it is not the same work as the other two; async mode batches the requests in flight.");
    return result;
  }

  private static String step(String path) {
    return switch (path) {
      case "datastream-job" -> "up to " + BATCH + " streams";
      case "casa-stream-ptf", "ml-predict-sync" -> "1 frame";
      default -> "requests in flight, up to " + BATCH;
    };
  }

  private static String predict(String options) {
    return "INSERT INTO events (stream_id, frame_sequence, capture_time, kind, text, model_id)"
        + " SELECT stream_id, sequence, capture_time, 'CAPTION', caption, 'casa-ml-predict'"
        + " FROM ML_PREDICT(TABLE frames, MODEL captioner, DESCRIPTOR(image), " + options + ")";
  }

  private static Measured job(BenchContext context, PipelineRig rig, Path modelDir, int total) throws Exception {
    String name = "datastream-job";
    // every frame is kept (max frame age 0): they were all written before the job started
    long stepsBefore = JobCounters.updates(JOB_BATCH_METRIC);
    PipelineRig.Job job = rig.start(name, Topics.FRAMES, name + "-events", CasaFrameModelFactory.fromCheckpoint(modelDir).withDecoding(context.decoding()),
        modelDir, CHECKPOINT_INTERVAL, Duration.ZERO);
    try (CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), name + "-events")) {
      events.awaitCount(total, Duration.ofMinutes(10));
      return measured(context, name, events, total, JobCounters.updates(JOB_BATCH_METRIC) - stepsBefore);
    } finally {
      rig.cancel(job);
    }
  }

  /** Runs one INSERT over the frames topic, bounded, on its own MiniCluster, and reads what it committed. */
  private static Measured sql(BenchContext context, PipelineRig rig, Path modelDir, int total, String name,
      String view, String insert) throws Exception {
    String eventsTopic = name + "-events";
    rig.createTopic(eventsTopic);
    Configuration conf = DemoCluster.configuration(0, "localhost", rig.scratch().resolve(name));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
    env.setParallelism(1);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    String prefix = "bench-" + name + "-" + UUID.randomUUID();
    CasaTables.registerTopic(sql, "frames", Topics.FRAMES, MessageType.FRAME, rig.bootstrapServers(), true, prefix);
    CasaTables.registerTopic(sql, "events", eventsTopic, MessageType.TEXT_EVENT, rig.bootstrapServers(), true, prefix);
    sql.createTemporarySystemFunction(CasaStreamFunction.NAME, new CasaStreamFunction(
        CasaFrameModelFactory.fromCheckpoint(modelDir).withDecoding(context.decoding()),
        InferenceSettings.builder().captionPolicy(EmitPolicy.everyFrame()).build()));
    sql.executeSql("CREATE TEMPORARY MODEL captioner INPUT (image BYTES) OUTPUT (caption STRING) WITH ("
        + "'provider' = '" + CasaModelProviderFactory.IDENTIFIER + "', 'model-dir' = '" + modelDir.toAbsolutePath()
        + "', 'batch-size' = '" + BATCH + "')");
    if (view != null) {
      sql.executeSql(view);
    }
    context.progress("  sql: %s", name);
    long stepsBefore = JobCounters.updates(AsyncCaptionPredictFunction.BATCH_METRIC);
    TableResult result = sql.executeSql(insert);
    result.await(10, TimeUnit.MINUTES);
    long batchedSteps = JobCounters.updates(AsyncCaptionPredictFunction.BATCH_METRIC) - stepsBefore;
    try (CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), eventsTopic)) {
      events.awaitCount(total, Duration.ofMinutes(2));
      // CASA_STREAM and sync ML_PREDICT run one frame per model step; async ML_PREDICT counts its steps
      return measured(context, name, events, total, batchedSteps > 0 ? batchedSteps : total);
    }
  }

  private static Measured measured(BenchContext context, String name, CommittedEvents events, int total,
      long steps) {
    int committed = events.count();
    if (committed < 2) {
      throw new IllegalStateException(name + " committed " + committed + " of " + total + " events");
    }
    double[] rates = events.emitRates();
    double fps = rates[0];
    double steady = rates[1];
    double framesPerStep = (double) total / Math.max(1, steps);
    context.progress("  sql: %s committed %d of %d: %.1f frames/s (second half %.1f), %.1f frames per model step",
        name, committed, total, fps, steady, framesPerStep);
    return new Measured(name, committed, fps, steady, framesPerStep, events.texts());
  }
}
