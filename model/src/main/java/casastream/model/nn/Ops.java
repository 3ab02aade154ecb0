package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The few fused primitives every block uses. */
public final class Ops {

    private static final float LAYER_NORM_EPS = 1e-5f;
    /** Added to masked attention scores; -inf would make NaN in fully masked rows. */
    static final float MASKED = -1e9f;

    private Ops() {
    }

    /** Layer normalisation over the last axis only. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    /**
     * x times a constant, safe under autograd. Not {@code x.mul(float)}: DJL makes the constant a
     * tensor over a Java buffer and releases that buffer as soon as the product exists, while the
     * graph keeps the constant for the backward pass, which then reads freed memory (gradients
     * scaled by whatever was written there since, often another constant such as the 1e9 of the
     * attention masks). Here the constant is made in PyTorch's own memory, which the graph holds for
     * as long as it needs it. The product is the same, bit for bit.
     */
    public static NDArray scale(NDArray x, float factor) {
        try (NDArray constant = x.getManager().full(new Shape(), factor, x.getDataType())) {
            return x.mul(constant);
        }
    }

    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** x (..., in) times w (in, out) plus b (out). */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return b == null ? x.matMul(w) : x.matMul(w).add(b);
    }

    /**
     * Scaled dot-product attention. q (B,h,n,dh), k and v (B,h,t,dh), bias (B,1,n,t) additive (0 or
     * {@link #MASKED}). Returns (B,h,n,dh).
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
        NDArray scores = scale(q.matMul(k.transpose(0, 1, 3, 2)), scale).add(bias); // (B,h,n,t)
        return scores.softmax(-1).matMul(v);
    }

    /** (B,h,n,dh) to (B,n,h*dh). */
    public static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /** (B,n,g*h*dh) to g arrays of (B,h,n,dh), one per group (e.g. q, k, v). */
    public static NDArray[] splitHeads(NDArray x, int groups, int heads) {
        Shape s = x.getShape();
        long headDim = s.get(2) / groups / heads;
        NDArray grouped = x.reshape(s.get(0), s.get(1), groups, heads, headDim).transpose(2, 0, 3, 1, 4); // (g,B,h,n,dh)
        NDArray[] out = new NDArray[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = grouped.get(g);
        }
        return out;
    }

    /**
     * Additive attention bias (B,1,n,t) for a chunk of n queries whose keys are the keys before
     * {@code end}, the chunk itself last (keys end-n..end-1); keys from {@code end} on are room not
     * yet written, and must be invalid. A key is visible when it is valid and not in the future.
     *
     * @param keyValid (B,t) 1 for a valid key, 0 for a masked one
     */
    public static NDArray causalBias(NDArray keyValid, int n, long end) {
        long batch = keyValid.getShape().get(0);
        long t = keyValid.getShape().get(1);
        if (n == 1) { // the single query is the last key written: no valid key is in its future
            return keyValid.sub(1f).mul(-MASKED).reshape(batch, 1, 1, t);
        }
        var manager = keyValid.getManager();
        NDArray columns = manager.arange(0f, (float) t).reshape(1, t);
        NDArray rows = manager.arange((float) (end - n), (float) end).reshape(n, 1);
        NDArray causal = columns.lte(rows).toType(ai.djl.ndarray.types.DataType.FLOAT32, false); // (n,t)
        NDArray visible = causal.reshape(1, 1, n, t).mul(keyValid.reshape(batch, 1, 1, t)); // (B,1,n,t)
        return visible.sub(1f).mul(-MASKED);
    }
}
