package casastream.bench;

import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.memory.StreamMemory;
import casastream.operators.inference.CasaFrameModel;
import casastream.operators.inference.StreamState;
import casastream.operators.inference.StreamStateCodec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Issue benchmark 7: a sizing table for 1,000, 10,000 and 100,000 streams at 1 frame/s, from the
 * figures of this run (batching or roofline for frames/s per TaskManager, many-streams or memory
 * for state per stream, pipeline for the frame message size). A figure whose benchmark did not run
 * is measured here in a short form, and the table says where each input came from.
 */
public final class CapacityBenchmark implements Benchmark {

  private static final long[] STREAMS = {1_000, 10_000, 100_000};
  private static final double FPS = 1.0;
  /** Keep 30% of each TaskManager free for bursts, checkpoints and catching up after a restart. */
  private static final double HEADROOM = 0.7;
  /** flink-conf: two slots per 2-core TaskManager sharing one model, one intra-op thread each (BENCHMARKS.md, Threads). */
  private static final int SLOTS_PER_TM = 2;
  private static final double CHECKPOINT_INTERVAL_SECONDS = 10;
  /** A conservative rate for one partition on one broker. */
  private static final double PARTITION_BYTES_PER_SECOND = 10e6;

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public String description() {
    return "sizing table for 1,000 / 10,000 / 100,000 streams at 1 frame/s, with its formula";
  }

  @Override
  public BenchResult run(BenchContext context) {
    List<String> sources = new ArrayList<>();
    double tmFps = framesPerSecondPerTm(context, sources);
    double state = stateBytesPerStream(context, sources);
    // a full checkpoint holds the whole RocksDB state (Flink reports it as the checkpoint's state size)
    double checkpoint = context.earlier("many-streams")
        .map(r -> lastOf(r.figure("state_bytes")) / lastOf(r.figure("stream_counts")))
        .orElse(state);
    sources.add(context.earlier("many-streams").isPresent()
        ? "full checkpoint bytes per stream: many-streams (state size of the last checkpoint / streams)"
        : "full checkpoint bytes per stream: taken equal to the state per stream (many-streams did not run)");
    double message = context.earlier("pipeline").map(r -> r.figure("frame_message_bytes").asDouble())
        .orElseGet(() -> {
          CasaConfig config = configOf(context);
          return new FramePictures(50, config.imageSize(), 1).meanMessageBytes();
        });
    sources.add(context.earlier("pipeline").isPresent() ? "frame message bytes: pipeline"
        : "frame message bytes: 50 synthetic JPEG frames encoded here");
    CapacityPlan plan = new CapacityPlan(tmFps, HEADROOM, SLOTS_PER_TM, state, checkpoint,
        CHECKPOINT_INTERVAL_SECONDS, message, PARTITION_BYTES_PER_SECOND);

    BenchResult result = new BenchResult(name())
        .parameter("fps_per_stream", FPS)
        .parameter("headroom", HEADROOM)
        .parameter("slots_per_tm", SLOTS_PER_TM)
        .parameter("checkpoint_interval_s", CHECKPOINT_INTERVAL_SECONDS)
        .parameter("partition_bytes_per_second", PARTITION_BYTES_PER_SECOND)
        .parameter("sources", sources)
        .figure("cpu_tm_frames_per_second", tmFps)
        .figure("state_bytes_per_stream", state)
        .figure("checkpoint_bytes_per_stream", checkpoint)
        .figure("frame_message_bytes", message)
        .figure("gpu_tm_frames_per_second", "not yet measured: no GPU in this run")
        .figure("formula", "TM = ceil(streams*fps / (tm_fps*headroom)); slots = TM*slots_per_tm;"
            + " state = streams*state_per_stream; checkpoint = streams*checkpoint_per_stream (incremental:"
            + " min(full, streams*fps*interval*state_per_stream)); bandwidth = streams*fps*message_bytes;"
            + " partitions = max(slots, ceil(bandwidth/partition_rate))");
    List<Long> tms = new ArrayList<>();
    List<Double> states = new ArrayList<>();
    List<Double> bandwidths = new ArrayList<>();
    List<Long> partitions = new ArrayList<>();
    result.row("streams", "frames/s", "CPU TMs", "slots", "RocksDB state (MB)", "checkpoint full (MB)",
        "checkpoint incr. (MB)", "Kafka in (MB/s)", "partitions", "GPU TMs");
    for (long streams : STREAMS) {
      CapacityPlan.Row row = plan.size(streams, FPS);
      tms.add(row.taskManagers());
      states.add(row.stateBytes());
      bandwidths.add(row.kafkaBytesPerSecond());
      partitions.add(row.partitions());
      result.row(streams, row.framesPerSecond(), row.taskManagers(), row.slots(), row.stateBytes() / 1e6,
          row.fullCheckpointBytes() / 1e6, row.incrementalCheckpointBytes() / 1e6, row.kafkaBytesPerSecond() / 1e6,
          row.partitions(), "not measured");
    }
    result.series("streams", List.of(STREAMS[0], STREAMS[1], STREAMS[2]))
        .series("cpu_task_managers", tms)
        .series("state_bytes", states)
        .series("kafka_bytes_per_second", bandwidths)
        .series("partitions", partitions);
    sources.forEach(result::note);
    result.note("CPU TaskManager = one machine like this one (2 cores) measured while shared with other work:"
        + " an idle or larger machine serves more; re-run `bench job-levels` (or `bench batching`, the model alone) there.");
    return result;
  }

  private static double framesPerSecondPerTm(BenchContext context, List<String> sources) {
    Optional<BenchResult> levels = context.earlier("job-levels");
    if (levels.isPresent() && levels.get().figure("most_streams_kept_up").asDouble() > 0) {
      sources.add("frames/s per TaskManager: job-levels (the whole job kept up with, every frame committed, p99 under"
          + " 2 s, broker and load generator on the same 2 cores)");
      return levels.get().figure("most_streams_kept_up").asDouble()
          * levels.get().toJson().path("parameters").path("fps_per_stream").asDouble(1.0);
    }
    Optional<BenchResult> batching = context.earlier("batching");
    if (batching.isPresent()) {
      sources.add("frames/s per TaskManager: batching (best batch size)");
      return max(batching.get().figure("frames_per_second"));
    }
    Optional<BenchResult> roofline = context.earlier("roofline");
    if (roofline.isPresent()) {
      sources.add("frames/s per TaskManager: roofline (best batch size)");
      return max(roofline.get().figure("frames_per_second"));
    }
    sources.add("frames/s per TaskManager: measured here at batch 64 (batching did not run)");
    try (CasaModel model = context.model().open(); CasaFrameModel frameModel = new CasaFrameModel(model, "bench", context.decoding())) {
      return new BatchRunner(frameModel, model.tokenizer(), model.config(), 64, 37)
          .measure(1, 3, context.quick() ? 2 : 8).framesPerSecond();
    }
  }

  private static double stateBytesPerStream(BenchContext context, List<String> sources) {
    Optional<BenchResult> many = context.earlier("many-streams");
    if (many.isPresent()) {
      sources.add("state bytes per stream: many-streams (marginal RocksDB state per stream)");
      return many.get().figure("marginal_state_bytes_per_stream").asDouble();
    }
    Optional<BenchResult> memory = context.earlier("memory");
    if (memory.isPresent()) {
      sources.add("state bytes per stream: memory (keyed-state value of one stream)");
      return lastOf(memory.get().figure("casa_state_bytes"));
    }
    sources.add("state bytes per stream: the keyed-state value of a stream with a fresh memory, encoded here");
    StreamState state = StreamState.fresh("bench");
    state.recordFrame("bench", StreamMemory.fresh(configOf(context)).toBytes(), 0, 0, 0);
    return StreamStateCodec.encode(state).length;
  }

  private static CasaConfig configOf(BenchContext context) {
    try (CasaModel model = context.model().open()) {
      return model.config();
    }
  }

  private static double max(JsonNode array) {
    double best = 0;
    for (JsonNode value : array) {
      best = Math.max(best, value.asDouble());
    }
    return best;
  }

  private static double lastOf(JsonNode array) {
    return array.get(array.size() - 1).asDouble();
  }
}
