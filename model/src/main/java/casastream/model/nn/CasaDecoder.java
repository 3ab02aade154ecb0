package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.FusionContext;
import casastream.model.memory.MemoryBatch;

/**
 * The text decoder: token and gist embeddings, the {@link CasaLayer}s, a final norm and the output
 * head tied to the token embedding. A frame is decoded in three moves: {@link #beginFrame} (memory
 * and image into every layer's cache), {@link #forward} for each chunk of window tokens (one chunk
 * for a whole teacher-forced window in training, one token at a time in greedy decoding: the same
 * code), and {@link WindowState#endFrame} (the new memory).
 *
 * <p>Gist slot i of the window is fed as token id {@code vocabSize + i}: row vocabSize + i of the embedding.
 */
public final class CasaDecoder {

    private final CasaConfig config;
    private final NDArray embedding; // (V+k, D): the V word embeddings (also the output head), then the k gist slots
    private final CasaLayer[] layers;
    private final NDArray normGamma;
    private final NDArray normBeta;
    private final NDArray gistStateWeight; // (D, D) with gist recurrence (D6), else null
    private final Rotary rope;

    public CasaDecoder(Parameters params, CasaConfig config) {
        this.config = config;
        int d = config.width();
        embedding = params.normal("decoder.embedding.weight", new Shape(config.vocabSize() + config.gistTokens(), d), 0.02);
        layers = new CasaLayer[config.decoderLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new CasaLayer(params, config, l);
        }
        normGamma = params.ones("decoder.norm.weight", new Shape(d));
        normBeta = params.zeros("decoder.norm.bias", new Shape(d));
        // zero at first: a model grown from one without recurrence starts out computing exactly what it did
        gistStateWeight = config.gistRecurrence() ? params.zeros("decoder.gist_state.weight", new Shape(d, d)) : null;
        rope = new Rotary(params.manager(), config.positions(), config.headDim(), config.ropeBase());
    }

    /**
     * Opens a frame's window for a batch of streams.
     *
     * @param imageTokens   (B,P,D) from the vision encoder
     * @param memory        the streams' memories
     * @param recordLayers  keep every layer's hidden states (for training probes)
     */
    public WindowState beginFrame(NDArray imageTokens, MemoryBatch memory, boolean recordLayers) {
        return beginFrame(imageTokens, null, memory, recordLayers);
    }

    /**
     * Opens a frame's window with some image tokens hidden from the fusion layers.
     *
     * @param imageValid (B,P) 1 for an image token the window may read, 0 for one it must not; null for all
     */
    public WindowState beginFrame(NDArray imageTokens, NDArray imageValid, MemoryBatch memory, boolean recordLayers) {
        NDManager manager = imageTokens.getManager();
        long batch = imageTokens.getShape().get(0);
        if (imageValid == null) {
            imageValid = manager.ones(new Shape(batch, config.imageTokens()));
        }
        WindowState state = new WindowState(config, memory, imageValid, recordLayers);
        NDArray image = imageTokens;
        int memoryLayer = 0;
        for (int l = 0; l < layers.length; l++) {
            boolean self = layers[l].hasSelfAttention();
            image = layers[l].beginFrame(state.caches[l], self ? memory.keys(memoryLayer) : null,
                    self ? memory.values(memoryLayer) : null, image, rope);
            memoryLayer += self ? 1 : 0;
        }
        return state;
    }

    /**
     * Feeds a chunk of window tokens at window positions start..start+n-1.
     *
     * @param tokens (B,n) token ids (gist slot i as vocabSize + i)
     * @param valid  (B,n) 1 for a real token, 0 for a pad that later tokens must not see
     * @return hidden states after the final norm, (B,n,D)
     */
    public NDArray forward(WindowState state, NDArray tokens, NDArray valid, int start) {
        int n = Math.toIntExact(tokens.getShape().get(1));
        if (start < state.nextStart || start + n > config.windowLength()) {
            throw new IllegalArgumentException("chunk at window positions " + start + ".." + (start + n - 1)
                    + " overlaps what was fed (next free position " + state.nextStart + ") or leaves the window of "
                    + config.windowLength());
        }
        int ring = config.gistTokens() + config.textTail();
        int ringRows = Math.max(0, Math.min(n, ring - start));
        if (ringRows > 0 && start != state.ringValid.length()) {
            throw new IllegalArgumentException("the gist and caption segments must be fed without gaps: expected position "
                    + state.ringValid.length() + ", got " + start);
        }
        NDArray x = embed(tokens); // (B,n,D)
        int gistRows = Math.max(0, Math.min(n, config.gistTokens() - start));
        if (gistStateWeight != null && gistRows > 0) {
            // D6: the gist slots start from the previous frame's final gist states
            NDArray carried = state.memory.gistState().get(":, {}:{}, :", start, start + gistRows).matMul(gistStateWeight);
            x = gistRows == n ? x.add(carried) : x.get(":, :{}, :", gistRows).add(carried).concat(x.get(":, {}:, :", gistRows), 1);
        }
        NDArray validFloat = valid.toType(DataType.FLOAT32, false);
        state.selfValid.append(validFloat);
        NDArray selfBias = Ops.causalBias(state.selfValid.all(), n, state.selfValid.length()); // (B,1,n,M+fed+room)
        NDArray fusionBias;
        if (config.fusionContext() == FusionContext.TEXT_AND_IMAGE) {
            state.fusionValid.append(validFloat);
            fusionBias = Ops.causalBias(state.fusionValid.all(), n, state.fusionValid.length()); // (B,1,n,P+fed+room)
        } else {
            fusionBias = x.getManager().zeros(new Shape(1, 1, 1, 1));
        }
        int ropeStart = config.memoryEntries() + start;
        for (int l = 0; l < layers.length; l++) {
            x = layers[l].forward(x, state.caches[l], selfBias, fusionBias, rope, ropeStart, ringRows);
            if (state.recordLayers()) {
                state.layerOutputs.add(x);
            }
        }
        if (ringRows > 0) {
            state.ringValid.append(ringRows == n ? validFloat : validFloat.get(":, :{}", ringRows));
        }
        state.nextStart = start + n;
        NDArray out = Ops.layerNorm(x, normGamma, normBeta);
        if (state.gistOut != null && gistRows > 0) {
            state.gistOut.append(gistRows == n ? out : out.get(":, :{}, :", gistRows));
        }
        return out;
    }

    /** Token ids (B,n), gist slots included, to embeddings (B,n,D). */
    public NDArray embed(NDArray tokens) {
        return tokens.toType(DataType.INT64, false).oneHot(config.vocabSize() + config.gistTokens()).matMul(embedding);
    }

    /** An empty insertion-baseline cache for B streams, with rotary positions for up to maxTokens cached tokens. */
    public InsertionCache insertionCache(NDManager manager, int batch, int maxTokens) {
        return new InsertionCache(config, manager, batch, new Rotary(manager, maxTokens, config.headDim(), config.ropeBase()));
    }

    /**
     * The token-insertion baseline: appends a chunk of n embeddings (image tokens or text) to the
     * cache of every layer and returns the chunk's hidden states after the final norm, (B,n,D).
     */
    public NDArray forwardInserted(InsertionCache cache, NDArray x, NDArray valid) {
        int n = Math.toIntExact(x.getShape().get(1));
        cache.reserve(n);
        cache.writeValid(valid.toType(DataType.FLOAT32, false));
        int end = cache.length + n;
        NDArray bias = Ops.causalBias(cache.valid(end), n, end);
        for (int l = 0; l < layers.length; l++) {
            x = layers[l].forwardInserted(x, cache, l, bias, cache.length);
        }
        cache.length = end;
        return Ops.layerNorm(x, normGamma, normBeta);
    }

    /** hidden (B,n,D) to logits over the vocabulary (B,n,V); the head is the token embedding. */
    public NDArray logits(NDArray hidden) {
        NDArray words = embedding.get(hidden.getManager(), new NDIndex("0:{}", config.vocabSize())); // (V,D)
        return hidden.matMul(words.transpose());
    }
}
