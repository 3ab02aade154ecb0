package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Pre-norm feed-forward block: x + W2 gelu(W1 LN(x) + b1) + b2. */
public final class FeedForward {

    private final NDArray normGamma;
    private final NDArray normBeta;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    public FeedForward(Parameters params, String prefix, int width, int hidden, double outputStd) {
        normGamma = params.ones(prefix + ".norm.weight", new Shape(width));
        normBeta = params.zeros(prefix + ".norm.bias", new Shape(width));
        w1 = params.normal(prefix + ".fc1.weight", new Shape(width, hidden), 0.02);
        b1 = params.zeros(prefix + ".fc1.bias", new Shape(hidden));
        w2 = params.normal(prefix + ".fc2.weight", new Shape(hidden, width), outputStd);
        b2 = params.zeros(prefix + ".fc2.bias", new Shape(width));
    }

    /** x (B,n,D) to x plus the block's output, (B,n,D). */
    public NDArray residual(NDArray x) {
        NDArray h = Ops.gelu(Ops.linear(Ops.layerNorm(x, normGamma, normBeta), w1, b1));
        return x.add(Ops.linear(h, w2, b2));
    }
}
