package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The Q/K/V projections of one or two attention branches that read the same input, as one matrix
 * product. Two branches' qkv weights (D,3D) are joined column-wise as [q1 k1 q2 k2 v1 v2], so that
 * one product yields every branch's q, k and v, and one rotary pass rotates all the queries and keys.
 *
 * <p>The joined weight is a copy of the parameters, so it is built for one window at a time
 * ({@link CasaLayer#beginFrame}): parameters updated in place between frames are always seen, and
 * under autograd the gradient flows back through the join to both named weights.
 */
final class JointProjection {

    /** One branch's projections of a chunk, each (B,h,n,dh): q and k rotated, k also unrotated. */
    record Qkv(NDArray q, NDArray k, NDArray rawK, NDArray v) {
    }

    private final NDArray weight; // (D, 3 * branches * D)
    private final int branches;
    private final int heads;

    private JointProjection(NDArray weight, int branches, int heads) {
        this.weight = weight;
        this.branches = branches;
        this.heads = heads;
    }

    /** A single branch: its qkv weight (D,3D) used as it is. */
    static JointProjection single(NDArray qkv, int heads) {
        return new JointProjection(qkv, 1, heads);
    }

    /** Two branches over the same input: their qkv weights (D,3D) joined on {@code manager}. */
    static JointProjection joint(NDManager manager, NDArray first, NDArray second, int heads) {
        long d = first.getShape().get(0);
        NDIndex queriesKeys = new NDIndex(":, :{}", 2 * d);
        NDIndex values = new NDIndex(":, {}:", 2 * d);
        NDList columns = new NDList(first.get(manager, queriesKeys), second.get(manager, queriesKeys),
                first.get(manager, values), second.get(manager, values));
        return new JointProjection(NDArrays.concat(columns, 1), 2, heads);
    }

    /**
     * Projects a chunk h (B,n,D) whose rows sit at rotary positions start..start+n-1.
     *
     * @return one {@link Qkv} per branch, in the order the weights were given
     */
    Qkv[] project(NDArray h, Rotary rope, int start) {
        Shape s = h.getShape();
        int groups = 3 * branches;
        long headDim = weight.getShape().get(1) / groups / heads;
        NDArray grouped = h.matMul(weight).reshape(s.get(0), s.get(1), groups, heads, headDim)
                .transpose(2, 0, 3, 1, 4); // (G,B,h,n,dh)
        NDArray rotated = rope.apply(grouped.get(new NDIndex(":{}", 2 * branches)), start); // every q and k
        Qkv[] out = new Qkv[branches];
        for (int b = 0; b < branches; b++) {
            out[b] = new Qkv(rotated.get(2 * b), rotated.get(2 * b + 1), grouped.get(2 * b + 1), grouped.get(2 * branches + b));
        }
        return out;
    }
}
