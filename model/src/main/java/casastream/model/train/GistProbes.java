package casastream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import casastream.model.nn.Ops;
import casastream.model.nn.Parameters;
import casastream.model.world.HistoryRules;
import casastream.model.world.HistoryState;
import casastream.model.world.Motion;

/**
 * Two training-only probes that open the gist path (model.md, lesson 3). With one gist slot per
 * object type, slot t after an early decoder layer predicts whether type t is present and where;
 * after the next layer it predicts type t's motion since the previous frame, which it can only read
 * from the previous frame's gist entries in the memory, so the loss trains the memory path directly.
 * The probes are not part of the model: inference never runs them.
 *
 * <p>In the history world a third probe reads each gist slot's final state, the one gist recurrence
 * (D6) carries into the next frame, and classifies its type's history ({@link HistoryState#probeClass}:
 * present for 1..N frames, with or without having come back; absent for 1..M frames; gone longer or never
 * seen). The class of frame t is the class of frame t-1 moved on by one frame, so the loss supervises
 * exactly the one-frame increment a recurrent counter needs, within the trainer's short unroll; the text
 * loss alone gives almost no signal for a count that only matters when it reaches 30 or 40.
 */
final class GistProbes {

    private final NDArray positionWeight; // (D, 3): presence logit, x, y
    private final NDArray positionBias;
    private final NDArray motionWeight;   // (D, motions)
    private final NDArray motionBias;
    private final int positionLayer;
    private final NDArray historyWeight; // (D, classes) in a history world, else null
    private final NDArray historyBias;

    GistProbes(Parameters params, int width, int decoderLayers) {
        this(params, width, decoderLayers, HistoryRules.NONE);
    }

    GistProbes(Parameters params, int width, int decoderLayers, HistoryRules rules) {
        positionWeight = params.normal("probes.position.weight", new Shape(width, 3), 0.02);
        positionBias = params.zeros("probes.position.bias", new Shape(3));
        motionWeight = params.normal("probes.motion.weight", new Shape(width, Motion.values().length), 0.02);
        motionBias = params.zeros("probes.motion.bias", new Shape(Motion.values().length));
        positionLayer = Math.max(0, Math.min(1, decoderLayers - 2));
        if (rules.enabled()) {
            int classes = HistoryState.probeClasses(rules);
            historyWeight = params.normal("probes.history.weight", new Shape(width, classes), 0.02);
            historyBias = params.zeros("probes.history.bias", new Shape(classes));
        } else {
            historyWeight = null;
            historyBias = null;
        }
    }

    /** Whether the history probe is on. */
    boolean hasHistory() {
        return historyWeight != null;
    }

    /**
     * History probe loss for one frame: mean cross-entropy of every type's history class.
     *
     * @param gistStates the gist slots' final (normed) states (B,T,D), the ones carried into the next frame
     */
    NDArray historyLoss(NDArray gistStates, FrameBatch batch) {
        NDArray logits = gistStates.matMul(historyWeight).add(historyBias); // (B,T,C)
        NDArray target = batch.history().toType(DataType.INT64, false).expandDims(2);
        return logits.logSoftmax(2).gather(target, 2).mean().neg();
    }

    /** The layer whose output feeds the position probe; the motion probe reads the next one. */
    int positionLayer() {
        return positionLayer;
    }

    /**
     * Probe loss for one frame.
     *
     * @param positionHidden gist slots after the position layer (B,T,D)
     * @param motionHidden   gist slots after the next layer (B,T,D)
     */
    NDArray loss(NDArray positionHidden, NDArray motionHidden, FrameBatch batch) {
        NDArray out = positionHidden.matMul(positionWeight).add(positionBias); // (B,T,3)
        NDArray logit = out.get(":, :, 0");
        NDArray present = batch.presence();
        NDArray softplus = logit.getNDArrayInternal().relu().add(logit.abs().neg().exp().add(1f).log());
        NDArray presenceLoss = softplus.sub(logit.mul(present)).mean();
        NDArray squared = out.get(":, :, 1:3").sub(batch.position()).square().sum(new int[] {2}); // (B,T)
        NDArray positionLoss = squared.mul(present).sum().div(present.sum().add(1f));

        NDArray motionLogits = motionHidden.matMul(motionWeight).add(motionBias); // (B,T,5)
        NDArray target = batch.motion().toType(DataType.INT64, false).expandDims(2);
        NDArray picked = motionLogits.logSoftmax(2).gather(target, 2).squeeze(2); // (B,T)
        NDArray mask = batch.motionMask();
        NDArray motionLoss = picked.mul(mask).sum().neg().div(mask.sum().add(1f));
        return presenceLoss.add(Ops.scale(positionLoss, 10f)).add(motionLoss);
    }
}
