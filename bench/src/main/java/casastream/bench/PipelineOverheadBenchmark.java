package casastream.bench;

import casastream.model.checkpoint.Checkpoint;
import casastream.model.memory.StreamMemory;
import java.nio.file.Path;

/**
 * The overhead half of benchmark 5 on its own: the same frames through the job with inference
 * switched off (real-size and 16-byte memory) against a plain Kafka consumer, in one run. Quicker
 * than {@code pipeline} when only the job's own cost is wanted, e.g. under a profiler.
 */
public final class PipelineOverheadBenchmark implements Benchmark {

  @Override
  public String name() {
    return "pipeline-overhead";
  }

  @Override
  public String description() {
    return "the job with inference off against a plain Kafka consumer over the same 1,000-stream topic";
  }

  /** {@code pipeline} already measures the same comparison within {@code all}. */
  @Override
  public boolean inAll() {
    return false;
  }

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    int frames = context.quick() ? 5_000 : 30_000;
    double[] overhead;
    String model;
    try (PipelineRig rig = new PipelineRig()) {
      Path modelDir = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(modelDir).imageSize();
      int memoryBytes = StreamMemory.byteSize(Checkpoint.readConfig(modelDir));
      model = context.model().describe();
      overhead = PipelineBenchmark.overhead(context, rig, side, memoryBytes, frames);
    }
    double ratio = overhead[1] / overhead[0];
    BenchResult result = new BenchResult(name())
        .parameter("model", model)
        .parameter("streams", 1_000)
        .parameter("overhead_frames", frames)
        .parameter("parallelism", 1)
        .parameter("max_batch_size", 64)
        .figure("plain_consumer_fps", overhead[0])
        .figure("inference_off_job_fps", overhead[1])
        .figure("inference_off_small_state_job_fps", overhead[2])
        .figure("inference_off_job_fps_second_half", overhead[3])
        .figure("inference_off_small_state_job_fps_second_half", overhead[4])
        .figure("overhead_ratio", ratio)
        .figure("overhead_ratio_second_half", overhead[3] / overhead[0]);
    result.row("read by", "frames/s", "second half frames/s");
    result.row("plain consumer", overhead[0], "-");
    result.row("job, inference off", overhead[1], overhead[3]);
    result.row("job, inference off, 16 B state", overhead[2], overhead[4]);
    result.target(Target.of("job with inference off at least 70% of a plain consumer's frames/s",
        String.format("%.1f%%", 100 * ratio), ratio >= 0.70));
    return result;
  }
}
