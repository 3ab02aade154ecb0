package casastream.bench;

import casastream.model.CasaModel;
import casastream.operators.inference.CasaFrameModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue benchmark 3: frames/s of the inference path at batch sizes 1, 4, 16 and 64 on the CPU,
 * every stream with its own memory carried from step to step. The ratio of batch 64 to batch 1 is
 * the figure that holds on a shared machine.
 */
public final class BatchingBenchmark implements Benchmark {

  static final int[] BATCHES = {1, 4, 16, 64};
  private static final long SEED = 17;

  @Override
  public String name() {
    return "batching";
  }

  @Override
  public String description() {
    return "frames/s of the inference path at batch sizes 1, 4, 16, 64 (CPU)";
  }

  @Override
  public BenchResult run(BenchContext context) {
    double seconds = context.quick() ? 2 : 8;
    List<BatchRunner.Throughput> runs = new ArrayList<>();
    double loadBefore = MachineInfo.loadAverage();
    try (CasaModel model = context.model().open();
         CasaFrameModel frameModel = new CasaFrameModel(model, "bench")) {
      for (int batch : BATCHES) {
        BatchRunner runner = new BatchRunner(frameModel, model.tokenizer(), model.config(), batch, SEED);
        BatchRunner.Throughput t = runner.measure(2, 3, seconds);
        context.progress("  batching: batch %d: %.1f frames/s", batch, t.framesPerSecond());
        runs.add(t);
      }
    }
    List<Integer> batches = new ArrayList<>();
    List<Double> fps = new ArrayList<>();
    List<Double> stepMillis = new ArrayList<>();
    List<Double> captionSteps = new ArrayList<>();
    for (BatchRunner.Throughput t : runs) {
      batches.add(t.batch());
      fps.add(t.framesPerSecond());
      stepMillis.add(t.medianStepMillis());
      captionSteps.add(t.meanCaptionSteps());
    }
    double speedup = fps.get(fps.size() - 1) / fps.get(0);
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("seconds_per_batch_size", seconds)
        .parameter("standing_questions", 0)
        .series("batch_sizes", batches)
        .series("frames_per_second", fps)
        .series("median_step_ms", stepMillis)
        .series("mean_caption_steps", captionSteps)
        .figure("speedup_64_over_1", speedup)
        .figure("load_average_before", loadBefore)
        .figure("load_average_after", MachineInfo.loadAverage());
    result.row("batch", "frames/s", "median step ms", "caption steps", "x batch 1");
    for (int i = 0; i < runs.size(); i++) {
      result.row(batches.get(i), fps.get(i), stepMillis.get(i), captionSteps.get(i), fps.get(i) / fps.get(0));
    }
    result.target(Target.of("batch 64 at least 8x the frames/s of batch 1", String.format("%.2fx", speedup),
        speedup >= 8));
    result.note("A step is one frame of every stream in the batch through CasaFrameModel.step (memory bytes in,"
        + " vision, greedy caption and events, memory bytes out); frames come from the synthetic camera world.");
    return result;
  }
}
