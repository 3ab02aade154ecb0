package casastream.bench;

import casastream.model.checkpoint.Checkpoint;
import casastream.operators.inference.CasaFrameModelFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue benchmark 6: 10,000 streams on one TaskManager. Streams are added in four steps (one frame
 * each, real inference); after each step the benchmark waits for a checkpoint and reads its size
 * and duration from Flink's REST API, then measures the heap after a full GC. Per-stream state is
 * RocksDB's (off-heap), so state should grow by a constant per stream and the heap not at all.
 */
public final class ManyStreamsBenchmark implements Benchmark {

  private static final long SEED = 31;
  private static final int STEPS = 4;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

  @Override
  public String name() {
    return "many-streams";
  }

  @Override
  public String description() {
    return "10,000 streams on one TaskManager: state, heap after GC, checkpoint size and duration";
  }

  // Frames are kept however long they wait (max frame age 0): a step sends thousands at once, and every
  // stream must be processed for its state to exist.

  /** Figures after one step of added streams. */
  record Point(int streams, long stateBytes, long checkpointedBytes, long checkpointMillis, long heapBytes) {}

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    int total = context.quick() ? 1_000 : 10_000;
    List<Point> points = new ArrayList<>();
    long heapBefore;
    try (PipelineRig rig = new PipelineRig()) {
      Path modelDir = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(modelDir).imageSize();
      PipelineRig.Job job = rig.start("many", "many-frames", "many-events",
          CasaFrameModelFactory.fromCheckpoint(modelDir).withDecoding(context.decoding()), modelDir, CHECKPOINT_INTERVAL, Duration.ZERO);
      try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), total + 1, side, SEED);
           CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), "many-events")) {
        // stream 0 warms the job up (model loaded, RocksDB open); the heap baseline is taken after it
        load.send("many-frames", 0, 1, 0);
        load.flush();
        events.awaitCount(1, Duration.ofMinutes(5));
        heapBefore = ProcessMemory.heapAfterGc();
        int added = 1;
        for (int step = 1; step <= STEPS; step++) {
          int upTo = 1 + total * step / STEPS;
          load.send("many-frames", added, upTo, 0);
          load.flush();
          int seen = events.awaitCount(upTo, Duration.ofMinutes(20));
          if (seen < upTo) {
            throw new IllegalStateException("only " + seen + " of " + upTo + " streams were processed in 20 minutes");
          }
          added = upTo;
          JsonNode checkpoint = rig.awaitCheckpointAfter(job, System.currentTimeMillis(), Duration.ofMinutes(5));
          Point point = new Point(upTo - 1, checkpoint.path("state_size").asLong(),
              checkpoint.path("checkpointed_size").asLong(), checkpoint.path("end_to_end_duration").asLong(),
              ProcessMemory.heapAfterGc());
          context.progress("  many-streams: %,d streams: state %,d B, checkpoint %,d B in %d ms, heap %,d B",
              point.streams(), point.stateBytes(), point.checkpointedBytes(), point.checkpointMillis(), point.heapBytes());
          points.add(point);
        }
      } finally {
        rig.cancel(job);
      }
    }
    return report(context, total, heapBefore, points);
  }

  private BenchResult report(BenchContext context, int total, long heapBefore, List<Point> points) {
    List<Integer> streams = new ArrayList<>();
    List<Long> state = new ArrayList<>();
    List<Double> perStream = new ArrayList<>();
    List<Long> checkpointed = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    List<Long> heap = new ArrayList<>();
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("streams", total)
        .parameter("frames_per_stream", 1)
        .parameter("state_backend", "RocksDB, incremental checkpoints to a local folder")
        .parameter("checkpoint_interval_ms", CHECKPOINT_INTERVAL.toMillis());
    result.row("streams", "state (B)", "state/stream (B)", "checkpointed (B)", "checkpoint ms", "heap after GC (MiB)");
    for (Point p : points) {
      streams.add(p.streams());
      state.add(p.stateBytes());
      perStream.add((double) p.stateBytes() / p.streams());
      checkpointed.add(p.checkpointedBytes());
      durations.add(p.checkpointMillis());
      heap.add(p.heapBytes());
      result.row(p.streams(), p.stateBytes(), (double) p.stateBytes() / p.streams(), p.checkpointedBytes(),
          p.checkpointMillis(), p.heapBytes() / 1048576.0);
    }
    Point first = points.get(0);
    Point last = points.get(points.size() - 1);
    double marginalState = (double) (last.stateBytes() - first.stateBytes()) / (last.streams() - first.streams());
    double heapPerStream = (double) (last.heapBytes() - first.heapBytes()) / (last.streams() - first.streams());
    double spread = perStream.stream().mapToDouble(Double::doubleValue).max().orElse(0)
        / perStream.stream().mapToDouble(Double::doubleValue).min().orElse(1);
    result.series("stream_counts", streams)
        .series("state_bytes", state)
        .series("state_bytes_per_stream", perStream)
        .series("checkpointed_bytes", checkpointed)
        .series("checkpoint_ms", durations)
        .series("heap_after_gc_bytes", heap)
        .figure("heap_after_gc_before_streams_bytes", heapBefore)
        .figure("marginal_state_bytes_per_stream", marginalState)
        .figure("heap_growth_bytes_per_stream", heapPerStream);
    result.target(Target.of("state = streams x constant", String.format("%.0f B/stream (max/min over steps %.3f)",
        marginalState, spread), spread <= 1.10));
    result.target(Target.of("heap flat (grows by under 10% of the state per stream)",
        String.format("%.0f B/stream of heap vs %.0f B/stream of state", heapPerStream, marginalState),
        heapPerStream < 0.10 * marginalState));
    result.note("Heap is the whole benchmark JVM (MiniCluster, embedded broker, producer) after System.gc();"
        + " state and checkpoint sizes are Flink's own checkpoint statistics (REST /jobs/<id>/checkpoints).");
    return result;
  }

}
