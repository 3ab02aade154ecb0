package casastream.bench;

import casastream.model.checkpoint.Checkpoint;
import casastream.operators.inference.CasaFrameModelFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The long run of issue 7: the whole job (embedded broker, MiniCluster, RocksDB, checkpoints,
 * exactly-once sinks, the real model) under a steady load well inside the machine's capacity for
 * 20 minutes ({@code --quick}: 2). Every sample records the heap after a full GC, the process's
 * resident memory (which includes PyTorch's and RocksDB's native memory), the RocksDB state of the
 * last checkpoint, the frames sent but not yet committed (lag) and the latency of the events that
 * arrived since the last sample. A leak shows as growth over the run; the first quarter is warm-up.
 * Not part of {@code all}: run it by name.
 */
public final class SoakBenchmark implements Benchmark {

  static final int STREAMS = 40;
  /** 40 cameras at one frame every 4 s: 10 frames/s, well under one 2-core TaskManager's capacity. */
  static final double FPS_PER_STREAM = 0.25;
  private static final long SEED = 43;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
  private static final Duration MAX_FRAME_AGE = Duration.ofSeconds(30);
  /** Growth allowed between the warmed-up start and the end before memory counts as growing. */
  private static final double FLAT = 0.10;

  @Override
  public String name() {
    return "soak";
  }

  @Override
  public String description() {
    return "20 minutes of steady load on the whole job: heap, process memory, state and lag must stay flat";
  }

  @Override
  public boolean inAll() {
    return false;
  }

  /** One sample of the run. */
  record Sample(double minutes, long sent, long committed, long heapBytes, long residentBytes, long stateBytes,
                double p50Millis, double p99Millis) {
    long lag() {
      return sent - committed;
    }
  }

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    double minutes = context.quick() ? 2 : 20;
    double sampleSeconds = context.quick() ? 15 : 60;
    List<Sample> samples = new ArrayList<>();
    long sent;
    int committed;
    long duplicates;
    try (PipelineRig rig = new PipelineRig()) {
      Path modelDir = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(modelDir).imageSize();
      PipelineRig.Job job = rig.start("soak", "soak-frames", "soak-events",
          CasaFrameModelFactory.fromCheckpoint(modelDir).withDecoding(context.decoding()), modelDir, CHECKPOINT_INTERVAL, MAX_FRAME_AGE);
      try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), STREAMS, side, SEED);
           CommittedEvents events = new CommittedEvents(rig.bootstrapServers(), "soak-events")) {
        load.send("soak-frames", 0, STREAMS, 0);
        load.flush();
        events.awaitCount(STREAMS, Duration.ofMinutes(2));
        sent = STREAMS;
        long sequence = 1;
        long start = System.currentTimeMillis();
        long rounds = Math.round(FPS_PER_STREAM * sampleSeconds);
        while (System.currentTimeMillis() - start < minutes * 60_000) {
          long windowStart = System.currentTimeMillis();
          sent += load.sendAtRate("soak-frames", sequence, FPS_PER_STREAM, sampleSeconds);
          load.flush();
          sequence += rounds;
          samples.add(sample(rig, job, events, start, windowStart, sent));
          Sample last = samples.get(samples.size() - 1);
          context.progress("  soak %5.1f min: sent %,d, lag %,d, heap %,d MiB, rss %,d MiB, state %,d B, p50 %.0f ms",
              last.minutes(), last.sent(), last.lag(), last.heapBytes() >> 20, last.residentBytes() >> 20,
              last.stateBytes(), last.p50Millis());
        }
        committed = events.awaitCount((int) sent, Duration.ofMinutes(2));
        duplicates = events.duplicates();
      } finally {
        rig.cancel(job);
      }
    }
    return report(context, minutes, samples, sent, committed, duplicates);
  }

  private static Sample sample(PipelineRig rig, PipelineRig.Job job, CommittedEvents events, long start,
                               long windowStart, long sent) throws Exception {
    List<Double> latencies = new ArrayList<>();
    List<CommittedEvents.Seen> all = events.snapshot();
    for (CommittedEvents.Seen seen : all) {
      if (seen.receivedMillis() >= windowStart) {
        latencies.add((double) seen.latencyMillis());
      }
    }
    double[] values = latencies.stream().mapToDouble(Double::doubleValue).toArray();
    JsonNode checkpoint = rig.latestCheckpoint(job);
    return new Sample((System.currentTimeMillis() - start) / 60_000.0, sent, all.size(),
        ProcessMemory.heapAfterGc(), ProcessMemory.residentBytes(),
        checkpoint == null ? -1 : checkpoint.path("state_size").asLong(),
        values.length == 0 ? Double.NaN : Timing.percentile(values, 50),
        values.length == 0 ? Double.NaN : Timing.percentile(values, 99));
  }

  private BenchResult report(BenchContext context, double minutes, List<Sample> samples, long sent, int committed,
                             long duplicates) {
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("minutes", minutes)
        .parameter("streams", STREAMS)
        .parameter("fps_per_stream", FPS_PER_STREAM)
        .parameter("checkpoint_interval_ms", CHECKPOINT_INTERVAL.toMillis())
        .parameter("max_frame_age_ms", MAX_FRAME_AGE.toMillis());
    result.row("minute", "sent", "lag", "heap after GC (MiB)", "process RSS (MiB)", "RocksDB state (B)",
        "p50 ms", "p99 ms");
    List<Double> minute = new ArrayList<>();
    List<Long> heap = new ArrayList<>();
    List<Long> resident = new ArrayList<>();
    List<Long> state = new ArrayList<>();
    List<Long> lag = new ArrayList<>();
    for (Sample s : samples) {
      minute.add(s.minutes());
      heap.add(s.heapBytes());
      resident.add(s.residentBytes());
      state.add(s.stateBytes());
      lag.add(s.lag());
      result.row(s.minutes(), s.sent(), s.lag(), s.heapBytes() / 1048576.0, s.residentBytes() / 1048576.0,
          s.stateBytes(), s.p50Millis(), s.p99Millis());
    }
    result.series("minute", minute).series("heap_bytes", heap).series("resident_bytes", resident)
        .series("state_bytes", state).series("lag_frames", lag)
        .figure("frames_sent", sent).figure("frames_committed", committed)
        .figure("duplicate_events", duplicates);
    int warm = Math.max(1, samples.size() / 4);
    List<Sample> steady = samples.subList(Math.min(warm, samples.size() - 1), samples.size());
    Sample first = steady.get(0);
    Sample last = steady.get(steady.size() - 1);
    // quarter means, not single samples: one collection that leaves a little more behind is noise
    double heapGrowth = quarterGrowth(steady, Sample::heapBytes);
    double residentGrowth = quarterGrowth(steady, Sample::residentBytes);
    long stateFirstHalf = maxOf(steady.subList(0, Math.max(1, steady.size() / 2)), Sample::stateBytes);
    long stateSecondHalf = maxOf(steady.subList(steady.size() / 2, steady.size()), Sample::stateBytes);
    result.figure("heap_growth", heapGrowth).figure("resident_growth", residentGrowth)
        .figure("state_bytes_per_stream", (double) last.stateBytes() / STREAMS);
    result.target(Target.of("heap after GC flat (mean of the last quarter vs the first, after warm-up: <= +10%)",
        String.format("%+.1f%%", 100 * heapGrowth), heapGrowth <= FLAT));
    result.target(Target.of("process memory flat, native memory freed (RSS, the same comparison: <= +10%)",
        String.format("%+.1f%%", 100 * residentGrowth), residentGrowth <= FLAT));
    result.target(Target.of("RocksDB state bounded (largest in the second half <= 1.5x the first half's)",
        String.format("%,d B vs %,d B (%,.0f B per stream)", stateSecondHalf, stateFirstHalf,
            (double) last.stateBytes() / STREAMS), stateSecondHalf <= 1.5 * stateFirstHalf));
    long lagLimit = Math.max(first.lag(), 0) + STREAMS;
    result.target(Target.of("no growing lag (lag at the end <= lag after warm-up + one frame per stream)",
        String.format("%d frames at the end, %d after warm-up", last.lag(), first.lag()), last.lag() <= lagLimit));
    result.target(Target.of("every frame sent committed once the load stops (distinct event ids, no duplicate)",
        committed + " of " + sent + ", " + duplicates + " duplicate(s)", committed == sent && duplicates == 0));
    result.note("RocksDB state is the last completed checkpoint's full state size: it moves with compaction"
        + " (each frame overwrites its stream's value), so it is held to a bound, not to a constant; the"
        + " per-stream value itself has a fixed size (metric stateBytesPerStream).");
    return result;
  }

  /** Growth from the mean of the first quarter of the samples to the mean of the last quarter. */
  private static double quarterGrowth(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
    int quarter = Math.max(1, samples.size() / 4);
    double from = samples.subList(0, quarter).stream().mapToLong(field).average().orElse(Double.NaN);
    double to = samples.subList(samples.size() - quarter, samples.size()).stream().mapToLong(field).average()
        .orElse(Double.NaN);
    return from <= 0 ? Double.NaN : (to - from) / from;
  }

  private static long maxOf(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
    return samples.stream().mapToLong(field).max().orElse(-1);
  }
}
