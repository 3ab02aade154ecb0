package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;

/**
 * The key/value cache of the token-insertion baseline: every frame's image tokens and text enter
 * every layer's self-attention cache and stay there, so the cache grows with every frame.
 *
 * <p>Kept as a fair baseline: keys and values live in preallocated buffers, (B, capacity, h, dh),
 * that a chunk is written into in place; only when one is full is it copied once into a buffer of
 * twice the capacity, so each cached token is copied O(1) times over the stream's life, not once
 * per token or per frame. Attention reads the filled prefix only (no room), as a strided view the
 * batched products take without a copy. Owns its native memory; {@link #compact()} after each
 * frame frees the step's temporaries.
 */
public final class InsertionCache implements AutoCloseable {

    /** Tokens the buffers first hold (one frame is about 85 of them). */
    static final int INITIAL_CAPACITY = 256;

    private final CasaConfig config;
    private final NDManager buffers;   // the cache's own arrays, for the stream's life
    private NDManager step;            // the current frame's temporaries
    private final NDArray[] keys;      // per layer (B,capacity,h,dh), rotated at absolute positions
    private final NDArray[] values;    // per layer (B,capacity,h,dh)
    private NDArray valid;             // (B,capacity)
    final Rotary rope;
    private final int batch;
    int length;
    private int capacity;
    private long copiedTokens;

    InsertionCache(CasaConfig config, NDManager parent, int batch, Rotary rope) {
        this.config = config;
        this.buffers = parent.newSubManager();
        this.step = parent.newSubManager();
        this.rope = rope;
        this.batch = batch;
        this.keys = new NDArray[config.decoderLayers()];
        this.values = new NDArray[config.decoderLayers()];
        this.capacity = INITIAL_CAPACITY;
        for (int l = 0; l < keys.length; l++) {
            keys[l] = buffers.zeros(bufferShape(capacity));
            values[l] = buffers.zeros(bufferShape(capacity));
        }
        valid = buffers.zeros(new Shape(batch, capacity));
    }

    private Shape bufferShape(int tokens) {
        return new Shape(batch, tokens, config.heads(), config.headDim());
    }

    /** Tokens cached per layer and stream. */
    public int length() {
        return length;
    }

    /** Bytes the cached keys and values (fp32) take, all layers and streams: what the stream's history needs. */
    public long bytes() {
        return 2L * keys.length * batch * length * config.width() * Float.BYTES;
    }

    /** Bytes the buffers hold, room included (at most twice {@link #bytes()} once past the first allocation). */
    public long allocatedBytes() {
        return 2L * keys.length * batch * capacity * config.width() * Float.BYTES;
    }

    /** Tokens copied into larger buffers so far, all layers counted once: O(length) over the stream's life. */
    public long copiedTokens() {
        return copiedTokens;
    }

    /** Makes room for {@code n} more tokens, doubling the buffers when they are full. */
    void reserve(int n) {
        if (length + n <= capacity) {
            return;
        }
        int grown = Math.max(2 * capacity, length + n);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = grow(keys[l], grown);
            values[l] = grow(values[l], grown);
        }
        NDArray bigger = buffers.zeros(new Shape(batch, grown));
        bigger.set(new NDIndex(":, :{}", length), valid.get(":, :{}", length));
        valid.close();
        valid = bigger;
        copiedTokens += length;
        capacity = grown;
    }

    private NDArray grow(NDArray buffer, int tokens) {
        NDArray bigger = buffers.zeros(bufferShape(tokens));
        try (NDManager scratch = buffers.newSubManager()) {
            NDArray filled = buffer.get(":, :{}", length);
            filled.attach(scratch);
            bigger.set(new NDIndex(":, :{}", length), filled);
        }
        buffer.close();
        return bigger;
    }

    /** Writes a chunk's keys and values (B,h,n,dh) of {@code layer} after the cached ones (call {@link #reserve} first). */
    void write(int layer, NDArray k, NDArray v) {
        int n = Math.toIntExact(k.getShape().get(2));
        keys[layer].set(new NDIndex(":, {}:{}", length, length + n), k.transpose(0, 2, 1, 3));
        values[layer].set(new NDIndex(":, {}:{}", length, length + n), v.transpose(0, 2, 1, 3));
    }

    /** Writes a chunk's validity (B,n) after the cached tokens'. */
    void writeValid(NDArray chunk) {
        int n = Math.toIntExact(chunk.getShape().get(1));
        valid.set(new NDIndex(":, {}:{}", length, length + n), chunk);
    }

    /** Layer {@code layer}'s keys of the first {@code tokens} tokens, (B,h,tokens,dh): a view, on the step's scope. */
    NDArray keys(int layer, int tokens) {
        return headsView(keys[layer], tokens);
    }

    NDArray values(int layer, int tokens) {
        return headsView(values[layer], tokens);
    }

    /** The first {@code tokens} tokens' validity, (B,tokens), on the step's scope. */
    NDArray valid(int tokens) {
        NDArray view = valid.get(":, :{}", tokens);
        view.attach(step);
        return view;
    }

    private NDArray headsView(NDArray buffer, int tokens) {
        NDArray view = buffer.get(":, :{}", tokens);
        view.attach(step);
        return view.transpose(0, 2, 1, 3);
    }

    /** Frees everything computed since the last call; the cache itself stays where it is. */
    public void compact() {
        NDManager parent = step.getParentManager();
        step.close();
        step = parent.newSubManager();
    }

    NDManager manager() {
        return step;
    }

    CasaConfig config() {
        return config;
    }

    @Override
    public void close() {
        step.close();
        buffers.close();
    }
}
