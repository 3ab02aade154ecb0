package casastream.bench;

import casastream.model.CasaModel;
import casastream.model.decode.Decoding;
import casastream.operators.inference.CasaFrameModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    List<BatchRunner.Throughput> plainRuns = new ArrayList<>();
    double twoCallers;
    double loadBefore = MachineInfo.loadAverage();
    try (CasaModel model = context.model().open();
         CasaFrameModel frameModel = new CasaFrameModel(model, "bench", Decoding.DRAFT);
         CasaFrameModel plainModel = new CasaFrameModel(model, "bench", Decoding.PLAIN)) {
      for (int batch : BATCHES) {
        // each batch size with both decoders back to back, the same frames: their ratio is what holds
        BatchRunner.Throughput t = new BatchRunner(frameModel, model.tokenizer(), model.config(), batch, SEED)
            .measure(2, 3, seconds);
        BatchRunner.Throughput plain = new BatchRunner(plainModel, model.tokenizer(), model.config(), batch, SEED)
            .measure(2, 3, seconds);
        context.progress("  batching: batch %d: %.1f frames/s with the draft decoder, %.1f with the plain one", batch,
            t.framesPerSecond(), plain.framesPerSecond());
        runs.add(t);
        plainRuns.add(plain);
      }
      twoCallers = twoCallers(frameModel, model, seconds);
      context.progress("  batching: two callers at batch %d each: %.1f frames/s together", BATCHES[BATCHES.length - 1] / 2,
          twoCallers);
    }
    List<Integer> batches = new ArrayList<>();
    List<Double> fps = new ArrayList<>();
    List<Double> stepMillis = new ArrayList<>();
    List<Double> captionSteps = new ArrayList<>();
    List<Double> plainFps = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      BatchRunner.Throughput t = runs.get(i);
      batches.add(t.batch());
      fps.add(t.framesPerSecond());
      stepMillis.add(t.medianStepMillis());
      captionSteps.add(t.meanCaptionSteps());
      plainFps.add(plainRuns.get(i).framesPerSecond());
    }
    int last = fps.size() - 1;
    double speedup = fps.get(last) / fps.get(0);
    double plainSpeedup = plainFps.get(last) / plainFps.get(0);
    double draftOverPlain = fps.get(last) / plainFps.get(last);
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("seconds_per_batch_size", seconds)
        .parameter("standing_questions", 0)
        .parameter("decoder", Decoding.DRAFT.id())
        .parameter("baseline_decoder", Decoding.PLAIN.id())
        .series("batch_sizes", batches)
        .series("frames_per_second", fps)
        .series("median_step_ms", stepMillis)
        .series("mean_caption_steps", captionSteps)
        .series("frames_per_second_plain", plainFps)
        .figure("speedup_64_over_1", speedup)
        .figure("speedup_64_over_1_plain", plainSpeedup)
        .figure("draft_over_plain_at_64", draftOverPlain)
        .figure("two_callers_at_32_frames_per_second", twoCallers)
        .figure("two_callers_over_one_at_64", twoCallers / fps.get(last))
        .figure("load_average_before", loadBefore)
        .figure("load_average_after", MachineInfo.loadAverage());
    result.row("batch", "frames/s", "median step ms", "caption steps (longest)", "x batch 1",
        "frames/s plain", "draft / plain");
    for (int i = 0; i < runs.size(); i++) {
      result.row(batches.get(i), fps.get(i), stepMillis.get(i), captionSteps.get(i), fps.get(i) / fps.get(0),
          plainFps.get(i), fps.get(i) / plainFps.get(i));
    }
    result.target(Target.of("batch 64 at least 8x the frames/s of batch 1 (draft decoder)", String.format("%.2fx", speedup),
        speedup >= 8));
    result.target(Target.of("draft decoder at batch 64 at least 3x the plain decoder's frames/s",
        String.format("%.2fx", draftOverPlain), draftOverPlain >= 3));
    result.note("A step is one frame of every stream in the batch through CasaFrameModel.step (memory bytes in,"
        + " vision, greedy caption and events, memory bytes out); frames come from the synthetic camera world."
        + " Each batch size runs the draft decoder (the default: drafts checked in batches of up to 16 streams,"
        + " finished streams leaving the batch) and then the plain one (token by token, every stream to the end of"
        + " the batch's longest text) on the same frames; both write the same texts.");
    result.note("Two callers: two threads, each stepping its own 32 streams through the same loaded model at once, as"
        + " the two slots of a TaskManager that share one model do; their frames/s together against one caller's at"
        + " batch 64 (machine.djl_pytorch_num_threads says the threads each used).");
    return result;
  }

  /** Frames/s of two threads stepping half the largest batch each through the same model at once. */
  private static double twoCallers(CasaFrameModel frameModel, CasaModel model, double seconds) {
    int half = BATCHES[BATCHES.length - 1] / 2;
    ExecutorService threads = Executors.newFixedThreadPool(2); // not the common pool: one thread on 2 cores
    try {
      List<Future<BatchRunner.Throughput>> callers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        BatchRunner runner = new BatchRunner(frameModel, model.tokenizer(), model.config(), half, SEED + 1000L * (c + 1));
        callers.add(threads.submit(() -> runner.measure(2, 3, seconds)));
      }
      double total = 0;
      for (Future<BatchRunner.Throughput> caller : callers) {
        total += caller.get().framesPerSecond();
      }
      return total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while two callers ran", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a caller failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }
}
