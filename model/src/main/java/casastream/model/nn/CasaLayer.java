package casastream.model.nn;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.FusionContext;

/**
 * One decoder layer. Its self-attention branch sees text only (memory entries and the window); its
 * CASA fusion branch lets the window's tokens attend in ONE softmax over this frame's image tokens
 * and (with {@link FusionContext#TEXT_AND_IMAGE}) the earlier tokens of the same window. With the
 * PARALLEL layout both branches read the same normed input and their outputs are summed.
 */
final class CasaLayer {

    private final boolean selfAttention;
    private final boolean fusion;
    private final boolean shared;
    private final boolean fusionSeesText;
    private final boolean imageFfn;
    private final int heads;
    private final NDArray normGamma;
    private final NDArray normBeta;
    private final NDArray selfQkv;
    private final NDArray selfOut;
    private final NDArray fusionQkv;
    private final NDArray fusionOut;
    private final FeedForward ffn;

    CasaLayer(Parameters params, CasaConfig config, int index) {
        String prefix = "decoder.layers." + index;
        int d = config.width();
        double outputStd = 0.02 / Math.sqrt(2.0 * config.decoderLayers());
        selfAttention = config.hasSelfAttention(index);
        fusion = config.hasFusion(index);
        shared = config.sharedFusionProjections() && selfAttention;
        fusionSeesText = config.fusionContext() == FusionContext.TEXT_AND_IMAGE;
        imageFfn = config.imageTokenFfn();
        heads = config.heads();
        normGamma = params.ones(prefix + ".norm.weight", new Shape(d));
        normBeta = params.zeros(prefix + ".norm.bias", new Shape(d));
        selfQkv = selfAttention ? params.normal(prefix + ".self_attn.qkv.weight", new Shape(d, 3 * d), 0.02) : null;
        selfOut = selfAttention ? params.normal(prefix + ".self_attn.out.weight", new Shape(d, d), outputStd) : null;
        boolean ownFusion = fusion && !shared;
        fusionQkv = ownFusion ? params.normal(prefix + ".fusion.qkv.weight", new Shape(d, 3 * d), 0.02) : null;
        fusionOut = ownFusion ? params.normal(prefix + ".fusion.out.weight", new Shape(d, d), outputStd) : null;
        ffn = new FeedForward(params, prefix + ".ffn", d, config.ffnMultiplier() * d, outputStd);
    }

    boolean hasSelfAttention() {
        return selfAttention;
    }

    /**
     * Fills the cache at the start of a frame: the memory's entries rotated to their slots, and the
     * image tokens projected to fusion keys/values (image keys sit at rotary position 0).
     *
     * @param memoryKeys   (B,h,M,dh) raw, or null when this layer has no self-attention
     * @param imageTokens  (B,P,D)
     * @return the image tokens for the next layer: updated by this layer's feed-forward block under D4
     */
    NDArray beginFrame(LayerCache cache, NDArray memoryKeys, NDArray memoryValues, NDArray imageTokens, Rotary rope) {
        if (selfAttention) {
            cache.selfKeys = rope.apply(memoryKeys, 0);
            cache.selfValues = memoryValues;
        }
        if (!fusion) {
            return imageTokens;
        }
        NDArray qkv = shared ? selfQkv : fusionQkv;
        long d = qkv.getShape().get(0);
        NDArray kvWeight = qkv.get(imageTokens.getManager(), new NDIndex(":, {}:", d)); // (D,2D): key and value columns
        NDArray[] kv = Ops.splitHeads(imageTokens.matMul(kvWeight), 2, heads); // 2 x (B,h,P,dh)
        cache.fusionKeys = kv[0];
        cache.fusionValues = kv[1];
        return imageFfn ? ffn.residual(imageTokens) : imageTokens;
    }

    /**
     * Runs a chunk of n window tokens. x (B,n,D) to (B,n,D); appends the chunk's keys/values to the cache.
     *
     * @param ropeStart the rotary position of the chunk's first token
     * @param ringRows  how many of the chunk's first tokens belong to the gist and caption segments
     */
    NDArray forward(NDArray x, LayerCache cache, NDArray selfBias, NDArray fusionBias, Rotary rope, int ropeStart,
                    int ringRows) {
        NDArray h = Ops.layerNorm(x, normGamma, normBeta);
        NDArray out = null;
        NDArray[] selfParts = null;
        if (selfAttention) {
            selfParts = rotatedQkv(h, selfQkv, rope, ropeStart, cache, ringRows);
            cache.selfKeys = cache.selfKeys.concat(selfParts[1], 2);
            cache.selfValues = cache.selfValues.concat(selfParts[2], 2);
            out = Ops.mergeHeads(Ops.attend(selfParts[0], cache.selfKeys, cache.selfValues, selfBias)).matMul(selfOut);
        }
        if (fusion) {
            NDArray[] parts = shared ? selfParts : rotatedQkv(h, fusionQkv, rope, ropeStart, null, 0);
            if (fusionSeesText) {
                cache.fusionKeys = cache.fusionKeys.concat(parts[1], 2);
                cache.fusionValues = cache.fusionValues.concat(parts[2], 2);
            }
            NDArray fused = Ops.mergeHeads(Ops.attend(parts[0], cache.fusionKeys, cache.fusionValues, fusionBias))
                    .matMul(shared ? selfOut : fusionOut);
            out = out == null ? fused : out.add(fused);
        }
        return ffn.residual(x.add(out));
    }

    /**
     * The token-insertion baseline's forward: self-attention over everything cached (image tokens
     * and text alike), no fusion. A fusion-only layer uses its fusion projections as self-attention.
     */
    NDArray forwardInserted(NDArray x, InsertionCache cache, int layer, NDArray bias, int ropeStart) {
        NDArray h = Ops.layerNorm(x, normGamma, normBeta);
        NDArray[] parts = rotatedQkv(h, selfAttention ? selfQkv : fusionQkv, cache.rope, ropeStart, null, 0);
        cache.keys[layer] = cache.keys[layer].concat(parts[1], 2);
        cache.values[layer] = cache.values[layer].concat(parts[2], 2);
        NDArray out = Ops.mergeHeads(Ops.attend(parts[0], cache.keys[layer], cache.values[layer], bias))
                .matMul(selfAttention ? selfOut : fusionOut);
        return ffn.residual(x.add(out));
    }

    /** q, k rotated and v, each (B,h,n,dh); keeps the raw keys/values of ring rows for the memory. */
    private NDArray[] rotatedQkv(NDArray h, NDArray weight, Rotary rope, int ropeStart, LayerCache ringCache, int ringRows) {
        NDArray[] qkv = Ops.splitHeads(h.matMul(weight), 3, heads);
        if (ringCache != null && ringRows > 0) {
            boolean whole = ringRows == qkv[1].getShape().get(2);
            ringCache.ringKeys.add(whole ? qkv[1] : qkv[1].get(":, :, :{}", ringRows));
            ringCache.ringValues.add(whole ? qkv[2] : qkv[2].get(":, :, :{}", ringRows));
        }
        return new NDArray[] {rope.apply(qkv[0], ropeStart), rope.apply(qkv[1], ropeStart), qkv[2]};
    }
}
