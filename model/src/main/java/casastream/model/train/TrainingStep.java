package casastream.model.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.decode.WindowLayout;
import casastream.model.memory.MemoryBatch;
import casastream.model.nn.Ops;
import casastream.model.nn.WindowState;
import casastream.model.world.HistoryRules;

import java.util.List;
import java.util.Random;

/**
 * The forward and backward pass of one optimizer step: F frames of B streams, frame after frame,
 * each window teacher-forced over the memory built (with gradient) from the previous frames of the
 * step. Gradients accumulate on the parameters; the optimizer applies them.
 */
final class TrainingStep {

    private final CasaModel model;
    private final GistProbes probes;
    private final StreamSampler sampler;
    private final WindowLayout layout;
    private final Random random;
    private final int frames;
    private final HistoryRules history;

    /**
     * @param probes the curriculum probes, or null to train on text alone
     */
    TrainingStep(CasaModel model, GistProbes probes, StreamSampler sampler, Random random, int frames) {
        this(model, probes, sampler, random, frames, HistoryRules.NONE);
    }

    /**
     * @param probes  the curriculum probes, or null to train on text alone
     * @param history the world's history rules: the history probe's classes
     */
    TrainingStep(CasaModel model, GistProbes probes, StreamSampler sampler, Random random, int frames,
                 HistoryRules history) {
        this.history = history;
        this.model = model;
        this.probes = probes;
        this.sampler = sampler;
        this.layout = new WindowLayout(model.config(), model.tokenizer());
        this.random = random;
        this.frames = frames;
    }

    /**
     * Mean losses per frame (the probe loss includes the history probe's, also given on its own: 0 without
     * it), and the streams' memory (detached, on {@code nextCarry}) for the next step.
     */
    record Result(float textLoss, float probeLoss, float historyProbeLoss, MemoryBatch memory) {
    }

    Result run(MemoryBatch carried, NDManager nextCarry, float probeWeight) {
        CasaConfig config = model.config();
        try (NDManager stepManager = model.manager().newSubManager()) {
            carried.tensors().attach(stepManager);
            MemoryBatch memory = carried;
            NDArray textSum = stepManager.zeros(new Shape());
            NDArray probeSum = stepManager.zeros(new Shape());
            NDArray historySum = stepManager.zeros(new Shape());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                for (int f = 0; f < frames; f++) {
                    StreamSampler.Frames next = sampler.next();
                    memory = memory.reset(stepManager, next.fresh());
                    FrameBatch batch = FrameBatch.of(stepManager, config, model.vision(), layout, next.frames(), random,
                            history);
                    NDArray images = model.vision().forward(batch.pixels()); // (B,P,D)
                    WindowState window = model.decoder().beginFrame(images, memory, probes != null);
                    NDArray hidden = model.decoder().forward(window, batch.tokens(), batch.valid(), 0); // (B,W,D)
                    textSum = textSum.add(textLoss(model.decoder().logits(hidden), batch));
                    if (probes != null) {
                        List<NDArray> layers = window.layerOutputs();
                        String gist = ":, 0:" + config.gistTokens() + ", :";
                        probeSum = probeSum.add(probes.loss(layers.get(probes.positionLayer()).get(gist),
                                layers.get(probes.positionLayer() + 1).get(gist), batch));
                        if (probes.hasHistory()) {
                            NDArray historyLoss = probes.historyLoss(hidden.get(gist), batch);
                            probeSum = probeSum.add(historyLoss);
                            historySum = historySum.add(historyLoss.stopGradient());
                        }
                    }
                    memory = window.endFrame();
                }
                // constants through Ops.scale, never mul(float)/div(int): see there
                collector.backward(Ops.scale(textSum.add(Ops.scale(probeSum, probeWeight)), 1f / frames));
            }
            return new Result(textSum.getFloat() / frames, probeSum.getFloat() / frames, historySum.getFloat() / frames,
                    memory.detach(nextCarry));
        }
    }

    /** Mean cross-entropy over the positions that carry loss. logits (B,W,V). */
    private static NDArray textLoss(NDArray logits, FrameBatch batch) {
        NDArray target = batch.targets().toType(DataType.INT64, false).expandDims(2);
        NDArray picked = logits.logSoftmax(2).gather(target, 2).squeeze(2); // (B,W)
        return picked.mul(batch.targetMask()).sum().neg().div(batch.targetMask().sum());
    }
}
