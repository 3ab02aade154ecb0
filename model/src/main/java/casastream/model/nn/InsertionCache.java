package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;

/**
 * The key/value cache of the token-insertion baseline: every frame's image tokens and text enter
 * every layer's self-attention cache and stay there, so the cache grows with every frame. Owns its
 * native memory; {@link #compact()} after each frame drops the step's temporaries.
 */
public final class InsertionCache implements AutoCloseable {

    private final CasaConfig config;
    private final NDManager parent;
    private NDManager manager;
    final NDArray[] keys;   // per layer (B,h,t,dh), rotated at absolute positions
    final NDArray[] values; // per layer (B,h,t,dh)
    NDArray valid;          // (B,t)
    final Rotary rope;
    int length;

    InsertionCache(CasaConfig config, NDManager parent, int batch, Rotary rope) {
        this.config = config;
        this.parent = parent;
        this.manager = parent.newSubManager();
        this.rope = rope;
        this.keys = new NDArray[config.decoderLayers()];
        this.values = new NDArray[config.decoderLayers()];
        Shape empty = new Shape(batch, config.heads(), 0, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(empty);
            values[l] = manager.zeros(empty);
        }
        valid = manager.zeros(new Shape(batch, 0));
    }

    /** Tokens cached per layer and stream. */
    public int length() {
        return length;
    }

    /** Bytes held by the cached keys and values (fp32), all layers and streams. */
    public long bytes() {
        long total = 0;
        for (int l = 0; l < keys.length; l++) {
            total += (keys[l].getShape().size() + values[l].getShape().size()) * Float.BYTES;
        }
        return total;
    }

    /** Moves the cache to a fresh scope and frees everything else computed since the last call. */
    public void compact() {
        NDManager fresh = parent.newSubManager();
        for (int l = 0; l < keys.length; l++) {
            keys[l] = copy(keys[l], fresh);
            values[l] = copy(values[l], fresh);
        }
        valid = copy(valid, fresh);
        manager.close();
        manager = fresh;
    }

    private static NDArray copy(NDArray array, NDManager target) {
        NDArray copy = array.duplicate();
        copy.attach(target);
        return copy;
    }

    NDManager manager() {
        return manager;
    }

    CasaConfig config() {
        return config;
    }

    @Override
    public void close() {
        manager.close();
    }
}
