package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A pre-norm transformer layer over the image tokens of one frame (full attention, no mask). */
final class VisionLayer {

    private final NDArray normGamma;
    private final NDArray normBeta;
    private final NDArray qkv;
    private final NDArray out;
    private final FeedForward ffn;
    private final int heads;

    VisionLayer(Parameters params, String prefix, int width, int heads, int ffnHidden, double outputStd) {
        this.heads = heads;
        normGamma = params.ones(prefix + ".norm.weight", new Shape(width));
        normBeta = params.zeros(prefix + ".norm.bias", new Shape(width));
        qkv = params.normal(prefix + ".attn.qkv.weight", new Shape(width, 3 * width), 0.02);
        out = params.normal(prefix + ".attn.out.weight", new Shape(width, width), outputStd);
        ffn = new FeedForward(params, prefix + ".ffn", width, ffnHidden, outputStd);
    }

    /** x (B,P,D) to (B,P,D). */
    NDArray forward(NDArray x, NDArray noMask) {
        NDArray[] parts = Ops.splitHeads(Ops.layerNorm(x, normGamma, normBeta).matMul(qkv), 3, heads); // 3 x (B,h,P,dh)
        NDArray attended = Ops.mergeHeads(Ops.attend(parts[0], parts[1], parts[2], noMask)); // (B,P,D)
        return ffn.residual(x.add(attended.matMul(out)));
    }
}
