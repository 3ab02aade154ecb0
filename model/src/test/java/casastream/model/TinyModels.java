package casastream.model;

import casastream.model.text.WorldTokenizer;

/** Small configs that keep model tests fast: the same code paths as the shipped design at a fraction of the size. */
public final class TinyModels {

    private TinyModels() {
    }

    /** 16x16 frames (4 image tokens), width 32, 2 heads, 2 decoder layers, 3 gist tokens, FP32 memory. */
    public static CasaConfig config() {
        return config(FusionLayout.PARALLEL, false, FusionContext.TEXT_AND_IMAGE, false);
    }

    /** {@link #config()} with gist recurrence (D6), its projection drawn at random so that it matters from the start. */
    public static CasaConfig recurrent() {
        CasaConfig c = config();
        return new CasaConfig(c.formatVersion(), c.imageSize(), c.patchSize(), c.stemChannels(), c.width(), c.heads(),
                c.decoderLayers(), c.visionLayers(), c.ffnMultiplier(), c.fusionLayout(), c.fusionEvery(),
                c.sharedFusionProjections(), c.fusionContext(), c.imageTokenFfn(), c.gistTokens(), c.gistHistory(),
                c.textTail(), c.eventTokens(), c.questionTokens(), c.vocabSize(), c.tokenizer(), c.memoryPrecision(),
                c.ropeBase(), true);
    }

    /** Draws the gist recurrence projection of a model at random (it starts at zero). */
    public static void randomiseGistState(CasaModel model, long seed) {
        ai.djl.ndarray.NDArray weight = model.parameters().all().get("decoder.gist_state.weight");
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[Math.toIntExact(weight.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.2);
        }
        weight.set(values);
    }

    public static CasaConfig config(FusionLayout layout, boolean shared, FusionContext context, boolean imageFfn) {
        WorldTokenizer tokenizer = WorldTokenizer.instance();
        return new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
                layout, 2, shared, context, imageFfn,
                3, 2, 16, 20, 12, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP32, 10_000);
    }
}
