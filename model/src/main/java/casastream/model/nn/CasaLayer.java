package casastream.model.nn;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.FusionContext;

/**
 * One decoder layer. Its self-attention branch sees text only (memory entries and the window); its
 * CASA fusion branch lets the window's tokens attend in ONE softmax over this frame's image tokens
 * and (with {@link FusionContext#TEXT_AND_IMAGE}) the earlier tokens of the same window. With the
 * PARALLEL layout both branches read the same normed input, so their queries, keys and values come
 * from one {@link JointProjection}, and their outputs are summed.
 */
final class CasaLayer {

    private final boolean selfAttention;
    private final boolean fusion;
    private final boolean shared;
    private final boolean fusionSeesText;
    private final boolean imageFfn;
    private final int heads;
    private final int ringLength;
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
        ringLength = config.gistTokens() + config.textTail();
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
     * Fills the cache at the start of a frame: the memory's entries rotated to their slots, the image
     * tokens projected to fusion keys/values (image keys sit at rotary position 0), and the layer's
     * Q/K/V projection for the window.
     *
     * @param memoryKeys   (B,h,M,dh) raw, or null when this layer has no self-attention
     * @param imageTokens  (B,P,D)
     * @return the image tokens for the next layer: updated by this layer's feed-forward block under D4
     */
    NDArray beginFrame(LayerCache cache, NDArray memoryKeys, NDArray memoryValues, NDArray imageTokens, Rotary rope) {
        NDManager manager = imageTokens.getManager();
        cache.projection = selfAttention && fusion && !shared
                ? JointProjection.joint(manager, selfQkv, fusionQkv, heads)
                : JointProjection.single(selfAttention ? selfQkv : fusionQkv, heads);
        if (selfAttention) {
            cache.selfKeys = WindowBuffer.of(rope.apply(memoryKeys, 0), 2);
            cache.selfValues = WindowBuffer.of(memoryValues, 2);
            Shape s = memoryKeys.getShape();
            Shape ring = new Shape(s.get(0), s.get(1), ringLength, s.get(3));
            cache.ringKeys = WindowBuffer.zeros(manager, ring, 2);
            cache.ringValues = WindowBuffer.zeros(manager, ring, 2);
        }
        if (!fusion) {
            return imageTokens;
        }
        NDArray qkv = shared ? selfQkv : fusionQkv;
        long d = qkv.getShape().get(0);
        NDArray kvWeight = qkv.get(manager, new NDIndex(":, {}:", d)); // (D,2D): key and value columns
        NDArray[] kv = Ops.splitHeads(imageTokens.matMul(kvWeight), 2, heads); // 2 x (B,h,P,dh)
        cache.fusionKeys = WindowBuffer.of(kv[0], 2);
        cache.fusionValues = WindowBuffer.of(kv[1], 2);
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
        JointProjection.Qkv[] branches = cache.projection.project(h, rope, ropeStart);
        NDArray out = null;
        if (selfAttention) {
            JointProjection.Qkv self = branches[0];
            if (ringRows > 0) {
                cache.ringKeys.append(firstRows(self.rawK(), ringRows));
                cache.ringValues.append(firstRows(self.v(), ringRows));
            }
            cache.selfKeys.append(self.k());
            cache.selfValues.append(self.v());
            out = Ops.mergeHeads(Ops.attend(self.q(), cache.selfKeys.all(), cache.selfValues.all(), selfBias))
                    .matMul(selfOut);
        }
        if (fusion) {
            JointProjection.Qkv parts = branches[branches.length - 1]; // the self branch's own under D1
            if (fusionSeesText) {
                cache.fusionKeys.append(parts.k());
                cache.fusionValues.append(parts.v());
            }
            NDArray fused = Ops.mergeHeads(Ops.attend(parts.q(), cache.fusionKeys.all(), cache.fusionValues.all(),
                    fusionBias)).matMul(shared ? selfOut : fusionOut);
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
        JointProjection.Qkv parts = JointProjection.single(selfAttention ? selfQkv : fusionQkv, heads)
                .project(h, cache.rope, ropeStart)[0];
        cache.write(layer, parts.k(), parts.v());
        int end = ropeStart + Math.toIntExact(x.getShape().get(1));
        NDArray out = Ops.mergeHeads(Ops.attend(parts.q(), cache.keys(layer, end), cache.values(layer, end), bias))
                .matMul(selfAttention ? selfOut : fusionOut);
        return ffn.residual(x.add(out));
    }

    /** The first {@code rows} tokens of a (B,h,n,dh) chunk. */
    private static NDArray firstRows(NDArray chunk, int rows) {
        return rows == chunk.getShape().get(2) ? chunk : chunk.get(":, :, :{}", rows);
    }
}
