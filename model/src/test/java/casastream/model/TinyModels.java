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

    public static CasaConfig config(FusionLayout layout, boolean shared, FusionContext context, boolean imageFfn) {
        WorldTokenizer tokenizer = WorldTokenizer.instance();
        return new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
                layout, 2, shared, context, imageFfn,
                3, 2, 16, 20, 12, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP32, 10_000);
    }
}
