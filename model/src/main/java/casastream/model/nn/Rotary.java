package casastream.model.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Rotary position encoding (rotate-half form) over a fixed range of positions. Positions are bounded
 * by design: memory entries take fixed slots by age and the window follows them, so a stream at frame
 * ten million uses exactly the positions it used at frame three.
 */
public final class Rotary {

    private final NDArray cos;        // (P, dh): cos(p * f_i) for both halves
    private final NDArray signedSin; // (P, dh): -sin for the first half, +sin for the second
    private final int positions;

    public Rotary(NDManager manager, int positions, int headDim, double base) {
        int half = headDim / 2;
        float[] c = new float[positions * headDim];
        float[] s = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(base, -2.0 * i / headDim);
                c[p * headDim + i] = (float) Math.cos(angle);
                c[p * headDim + half + i] = (float) Math.cos(angle);
                s[p * headDim + i] = (float) -Math.sin(angle);
                s[p * headDim + half + i] = (float) Math.sin(angle);
            }
        }
        this.cos = manager.create(c, new Shape(positions, headDim));
        this.signedSin = manager.create(s, new Shape(positions, headDim));
        this.positions = positions;
    }

    /** Rotates x (..., n, dh) as if its n rows sat at positions start..start+n-1. */
    public NDArray apply(NDArray x, int start) {
        int n = Math.toIntExact(x.getShape().get(x.getShape().dimension() - 2));
        if (start < 0 || start + n > positions) {
            throw new IllegalArgumentException("rotary positions " + start + ".." + (start + n - 1)
                    + " are outside the table of " + positions);
        }
        NDIndex rows = new NDIndex("{}:{}", start, start + n);
        NDList halves = x.split(2, x.getShape().dimension() - 1);
        NDArray swapped = halves.get(1).concat(halves.get(0), -1); // (x2, x1)
        // slices land on the caller's manager, never on the model's long-lived one
        return x.mul(cos.get(x.getManager(), rows)).add(swapped.mul(signedSin.get(x.getManager(), rows)));
    }
}
