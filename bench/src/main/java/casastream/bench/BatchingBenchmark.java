package casastream.bench;

import casastream.model.CasaModel;
import casastream.model.decode.GreedyDecoder;
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
    List<BatchRunner.Throughput> keptRuns = new ArrayList<>();
    double loadBefore = MachineInfo.loadAverage();
    try (CasaModel model = context.model().open();
         CasaFrameModel frameModel = new CasaFrameModel(model, "bench");
         CasaFrameModel keepingModel = new CasaFrameModel(model, "bench", GreedyDecoder.Rows.KEEP)) {
      for (int batch : BATCHES) {
        // each batch size with both decoders back to back, the same frames: their ratio is what holds
        BatchRunner.Throughput t = new BatchRunner(frameModel, model.tokenizer(), model.config(), batch, SEED)
            .measure(2, 3, seconds);
        BatchRunner.Throughput kept = new BatchRunner(keepingModel, model.tokenizer(), model.config(), batch, SEED)
            .measure(2, 3, seconds);
        context.progress("  batching: batch %d: %.1f frames/s (%.1f keeping finished streams in the batch)", batch,
            t.framesPerSecond(), kept.framesPerSecond());
        runs.add(t);
        keptRuns.add(kept);
      }
    }
    List<Integer> batches = new ArrayList<>();
    List<Double> fps = new ArrayList<>();
    List<Double> stepMillis = new ArrayList<>();
    List<Double> captionSteps = new ArrayList<>();
    List<Double> keptFps = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      BatchRunner.Throughput t = runs.get(i);
      batches.add(t.batch());
      fps.add(t.framesPerSecond());
      stepMillis.add(t.medianStepMillis());
      captionSteps.add(t.meanCaptionSteps());
      keptFps.add(keptRuns.get(i).framesPerSecond());
    }
    int last = fps.size() - 1;
    double speedup = fps.get(last) / fps.get(0);
    double keptSpeedup = keptFps.get(last) / keptFps.get(0);
    double dropOverKeep = fps.get(last) / keptFps.get(last);
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("seconds_per_batch_size", seconds)
        .parameter("standing_questions", 0)
        .parameter("decoder", "greedy, finished streams leave the batch")
        .parameter("baseline_decoder", "greedy, finished streams kept in the batch (fed masked pads)")
        .series("batch_sizes", batches)
        .series("frames_per_second", fps)
        .series("median_step_ms", stepMillis)
        .series("mean_caption_steps", captionSteps)
        .series("frames_per_second_keeping_finished", keptFps)
        .figure("speedup_64_over_1", speedup)
        .figure("speedup_64_over_1_keeping_finished", keptSpeedup)
        .figure("dropping_over_keeping_at_64", dropOverKeep)
        .figure("load_average_before", loadBefore)
        .figure("load_average_after", MachineInfo.loadAverage());
    result.row("batch", "frames/s", "median step ms", "caption steps (longest)", "x batch 1",
        "frames/s keeping finished", "dropping / keeping");
    for (int i = 0; i < runs.size(); i++) {
      result.row(batches.get(i), fps.get(i), stepMillis.get(i), captionSteps.get(i), fps.get(i) / fps.get(0),
          keptFps.get(i), fps.get(i) / keptFps.get(i));
    }
    result.target(Target.of("batch 64 at least 8x the frames/s of batch 1", String.format("%.2fx", speedup),
        speedup >= 8));
    result.note("A step is one frame of every stream in the batch through CasaFrameModel.step (memory bytes in,"
        + " vision, greedy caption and events, memory bytes out); frames come from the synthetic camera world."
        + " Each batch size runs the default decoder (streams that finished a text leave the batch) and then the"
        + " one that keeps them to the end of the longest text, on the same frames; both write the same texts.");
    return result;
  }
}
