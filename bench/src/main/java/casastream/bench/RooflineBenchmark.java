package casastream.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.operators.inference.CasaFrameModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Issue benchmark 4: the model's FLOPs per frame (from its config and the decode steps it really
 * took) times frames/s, as a fraction of the dense matrix-multiply FLOP/s DJL reaches on this
 * machine, measured just before and just after. At the best batch size the step is split into
 * vision, memory copies and decoding, each with its own FLOP/s, and the fixed per-step cost (the
 * step time at batch 1, where the FLOPs are negligible) says how much of the rest is per-op overhead.
 */
public final class RooflineBenchmark implements Benchmark {

  private static final int MATMUL_N = 1024;
  private static final long SEED = 19;

  @Override
  public String name() {
    return "roofline";
  }

  @Override
  public String description() {
    return "model FLOP/s at the best batch size as a fraction of DJL dense matmul FLOP/s, and where the rest goes";
  }

  @Override
  public BenchResult run(BenchContext context) {
    int[] batches = context.quick() ? new int[] {64} : new int[] {32, 64, 128};
    double seconds = context.quick() ? 2 : 8;
    int probes = context.quick() ? 5 : 15;
    double matmulBefore = MatmulProbe.flopsPerSecond(MATMUL_N, probes);
    context.progress("  roofline: DJL matmul %dx%d: %.1f GFLOP/s", MATMUL_N, MATMUL_N, matmulBefore / 1e9);
    List<Double> fps = new ArrayList<>();
    List<Double> modelFlops = new ArrayList<>();
    BatchRunner.Throughput best = null;
    double bestFlops = 0;
    BatchRunner.Throughput single;
    Stages stages;
    CasaConfig config;
    try (CasaModel model = context.model().open();
         CasaFrameModel frameModel = new CasaFrameModel(model, "bench", context.decoding())) {
      config = model.config();
      ModelFlops flops = new ModelFlops(config);
      for (int batch : batches) {
        BatchRunner.Throughput t = new BatchRunner(frameModel, model.tokenizer(), config, batch, SEED)
            .measure(2, 3, seconds);
        // the work the streams' own texts needed: no padding rows, no masked room
        double rate = t.neededFlopsPerFrame() * t.framesPerSecond();
        context.progress("  roofline: batch %d: %.1f frames/s, %.2f GFLOP/s", batch, t.framesPerSecond(), rate / 1e9);
        fps.add(t.framesPerSecond());
        modelFlops.add(rate);
        if (rate > bestFlops) {
          bestFlops = rate;
          best = t;
        }
      }
      single = new BatchRunner(frameModel, model.tokenizer(), config, 1, SEED).measure(2, 10, seconds / 2);
      stages = Stages.measure(model, best.batch(), best.medianStepMillis(), probes);
    }
    double matmulAfter = MatmulProbe.flopsPerSecond(MATMUL_N, probes);
    double matmul = (matmulBefore + matmulAfter) / 2;
    ModelFlops flops = new ModelFlops(config);
    int captionSteps = (int) Math.round(best.meanCaptionSteps());
    int eventSteps = (int) Math.round(best.meanEventSteps());
    double perFrame = best.neededFlopsPerFrame();
    double paddedPerFrame = flops.perFrame(captionSteps, eventSteps);
    double fraction = bestFlops / matmul;
    double visionRate = flops.vision() * best.batch() / (stages.visionMillis / 1000);
    double decodeRate = (perFrame - flops.vision()) * best.batch() / (stages.decodeMillis() / 1000);
    double overheadShare = Math.min(1, single.medianStepMillis() / best.medianStepMillis());

    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("batch_sizes", batchList(batches))
        .parameter("matmul_n", MATMUL_N)
        .parameter("flops_counted", "matrix products only, 2 per multiply-add; one-hot embedding excluded;"
            + " each stream's frame with its own text's greedy steps (no padding rows, no masked room)")
        .figure("model_flops_per_frame", perFrame)
        .figure("model_flops_per_frame_padded_to_longest_text", paddedPerFrame)
        .figure("model_flops_per_frame_full_window", flops.perFrameFullWindow())
        .figure("vision_flops_per_frame", flops.vision())
        .figure("decoder_flops_per_frame", perFrame - flops.vision())
        .figure("mean_longest_caption_steps", best.meanCaptionSteps())
        .figure("mean_longest_event_steps", best.meanEventSteps())
        .series("frames_per_second", fps)
        .series("model_flops_per_second", modelFlops)
        .figure("best_batch", best.batch())
        .figure("best_model_flops_per_second", bestFlops)
        .figure("matmul_flops_per_second_before", matmulBefore)
        .figure("matmul_flops_per_second_after", matmulAfter)
        .figure("fraction_of_matmul", fraction)
        .figure("step_ms", best.medianStepMillis())
        .figure("vision_ms", stages.visionMillis)
        .figure("memory_copies_ms", stages.memoryMillis)
        .figure("decode_ms", stages.decodeMillis())
        .figure("vision_flops_per_second", visionRate)
        .figure("decode_flops_per_second", decodeRate)
        .figure("batch1_step_ms", single.medianStepMillis())
        .figure("fixed_cost_share_of_best_step", overheadShare)
        .figure("load_average_after", MachineInfo.loadAverage());
    result.row("batch", "frames/s", "model GFLOP/s", "of matmul");
    for (int i = 0; i < batches.length; i++) {
      result.row(batches[i], fps.get(i), modelFlops.get(i) / 1e9, String.format("%.1f%%", 100 * modelFlops.get(i) / matmul));
    }
    result.row("matmul", "-", matmul / 1e9, "100%");
    result.row("stage @" + best.batch(), "ms/step", "GFLOP/s", "share of step");
    result.row("vision", stages.visionMillis, visionRate / 1e9, share(stages.visionMillis, best));
    result.row("memory copies", stages.memoryMillis, "-", share(stages.memoryMillis, best));
    result.row("decode", stages.decodeMillis(), decodeRate / 1e9, share(stages.decodeMillis(), best));
    result.target(Target.of("the FLOPs the streams' texts need, at least 50% of DJL matmul FLOP/s at the best batch size",
        String.format("%.1f%% at batch %d", 100 * fraction, best.batch()), fraction >= 0.50));
    result.note(String.format("A step at batch 1 takes %.1f ms, almost none of it arithmetic: that fixed cost"
        + " (one native call per op per greedy step, whatever the batch) is %.0f%% of the step at batch %d.",
        single.medianStepMillis(), 100 * overheadShare, best.batch()));
    return result;
  }

  private static String share(double millis, BatchRunner.Throughput best) {
    return String.format("%.0f%%", 100 * millis / best.medianStepMillis());
  }

  private static List<Integer> batchList(int[] batches) {
    List<Integer> list = new ArrayList<>();
    for (int b : batches) {
      list.add(b);
    }
    return Collections.unmodifiableList(list);
  }

  /** A step split into what can be timed alone; decoding is the rest. */
  private static final class Stages {
    double stepMillis;
    double visionMillis;
    double memoryMillis;

    double decodeMillis() {
      return Math.max(0, stepMillis - visionMillis - memoryMillis);
    }

    static Stages measure(CasaModel model, int batch, double stepMillis, int repeats) {
      CasaConfig config = model.config();
      WorldStreams world = new WorldStreams(config, batch, SEED);
      List<byte[]> frames = new ArrayList<>();
      List<byte[]> memories = new ArrayList<>();
      for (int s = 0; s < batch; s++) {
        frames.add(world.next(s));
        memories.add(StreamMemory.fresh(config).toBytes());
      }
      double[] vision = new double[repeats];
      double[] copies = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        try (NDManager manager = model.manager().newSubManager()) {
          long start = System.nanoTime();
          NDArray tokens = model.vision().forward(model.vision().pixels(manager, frames));
          tokens.getFloat(0, 0, 0);
          vision[r] = Timing.millisSince(start);
        }
        try (NDManager manager = model.manager().newSubManager()) {
          long start = System.nanoTime();
          List<StreamMemory> in = new ArrayList<>(batch);
          for (byte[] bytes : memories) {
            in.add(StreamMemory.fromBytes(config, bytes));
          }
          for (StreamMemory out : MemoryBatch.of(manager, config, in).toStreams()) {
            out.toBytes();
          }
          copies[r] = Timing.millisSince(start);
        }
      }
      Stages stages = new Stages();
      stages.stepMillis = stepMillis;
      stages.visionMillis = Timing.median(vision);
      stages.memoryMillis = Timing.median(copies);
      return stages;
    }
  }
}
