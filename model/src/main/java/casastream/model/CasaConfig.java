package casastream.model;

import casastream.model.text.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Every size and design switch of a CASA model. A checkpoint carries its config as JSON, so sizes
 * always come from the checkpoint, never from constants in code.
 *
 * <p>The text stream of one frame (its <em>window</em>) has a fixed layout, so that training, batched
 * decoding and the memory ring agree on every rotary position:
 * <pre>
 * [g_1..g_k] [CAPTION] caption.. [EOS] pad.. | [EVENTS] events.. [EOS] pad.. | pad.. [QUESTION] q.. [ANSWER] a [EOS]
 *  gistTokens  textTail tokens                  eventTokens tokens                questionTokens tokens
 * </pre>
 * Pads are masked out as keys. The caption segment doubles as the text tail kept in the memory.
 *
 * @param formatVersion           checkpoint format version, {@link #FORMAT_VERSION}
 * @param imageSize               square frame side in pixels (RGB)
 * @param patchSize               pixels per image token side; the stem downsamples by this factor
 * @param stemChannels            channels of the first convolution of the vision stem
 * @param width                   model width D (vision and decoder)
 * @param heads                   attention heads
 * @param decoderLayers           text decoder layers
 * @param visionLayers            transformer layers of the vision encoder
 * @param ffnMultiplier           hidden width of every feed-forward block, in multiples of D
 * @param fusionLayout            D3: fusion in parallel with self-attention, or replacing every n-th layer
 * @param fusionEvery             n for {@link FusionLayout#REPLACE_EVERY_N}
 * @param sharedFusionProjections D1: fusion reuses the self-attention Q/K/V/O projections
 * @param fusionContext           D2: image only, or image plus the window's earlier text (CASA)
 * @param imageTokenFfn           D4: image tokens pass through each fusion layer's feed-forward block
 * @param gistTokens              D5: k gist tokens written after each frame
 * @param gistHistory             D5: H, how many past frames' gist entries the memory keeps
 * @param textTail                T, tokens of the caption segment, kept in the memory as the text tail
 * @param eventTokens             tokens of the events segment
 * @param questionTokens          tokens of the question segment (question, answer marker, answer, EOS)
 * @param vocabSize               tokenizer vocabulary size
 * @param tokenizer               the tokenizer's name: a model only runs with the ids it was trained on
 * @param memoryPrecision         number format of the serialized stream memory
 * @param ropeBase                rotary position base
 * @param gistRecurrence          D6: each frame's gist slots start from the previous frame's final gist states
 *                                (through a learned projection, zero at initialisation), a recurrent state
 *                                kept in the memory that carries history past the H frames of cached gist
 *                                entries; off in configs written before it existed
 */
public record CasaConfig(
        int formatVersion,
        int imageSize,
        int patchSize,
        int stemChannels,
        int width,
        int heads,
        int decoderLayers,
        int visionLayers,
        int ffnMultiplier,
        FusionLayout fusionLayout,
        int fusionEvery,
        boolean sharedFusionProjections,
        FusionContext fusionContext,
        boolean imageTokenFfn,
        int gistTokens,
        int gistHistory,
        int textTail,
        int eventTokens,
        int questionTokens,
        int vocabSize,
        String tokenizer,
        MemoryPrecision memoryPrecision,
        double ropeBase,
        boolean gistRecurrence) {

    /** The checkpoint format this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public CasaConfig {
        if (formatVersion != FORMAT_VERSION) {
            throw new ModelFormatException("model format version " + formatVersion + " is not supported (this build reads "
                    + FORMAT_VERSION + "): retrain or convert the checkpoint");
        }
        require(imageSize > 0 && patchSize % 4 == 0 && imageSize % patchSize == 0,
                "imageSize " + imageSize + " must be a multiple of patchSize " + patchSize + ", itself a multiple of 4");
        require(width > 0 && heads > 0 && width % heads == 0 && (width / heads) % 2 == 0,
                "width " + width + " must split into " + heads + " heads of even size");
        require(stemChannels > 0 && ffnMultiplier > 0, "stemChannels and ffnMultiplier must be positive");
        require(decoderLayers > 0 && visionLayers >= 0, "need at least one decoder layer and no negative vision layers");
        require(fusionLayout != null && fusionContext != null && memoryPrecision != null, "layout, context and precision must be set");
        require(fusionLayout == FusionLayout.PARALLEL || (fusionEvery >= 2 && fusionEvery <= decoderLayers),
                "REPLACE_EVERY_N needs 2 <= fusionEvery <= decoderLayers, got " + fusionEvery);
        require(gistTokens > 0 && gistHistory > 0, "need at least one gist token and one frame of gist history");
        require(textTail >= 2 && eventTokens >= 2 && questionTokens >= 4,
                "segments too short: textTail >= 2, eventTokens >= 2, questionTokens >= 4");
        require(vocabSize > 0 && tokenizer != null && !tokenizer.isBlank(), "vocabSize and tokenizer must be set");
        require(fusionLayout == FusionLayout.PARALLEL || !sharedFusionProjections,
                "shared fusion projections (D1) need the PARALLEL layout: a replacing fusion layer has no self-attention to share with");
        require(ropeBase > 1, "ropeBase must be > 1");
    }

    /** A config without gist recurrence (D6 off): the design as it was before D6 existed. */
    public CasaConfig(int formatVersion, int imageSize, int patchSize, int stemChannels, int width, int heads,
                      int decoderLayers, int visionLayers, int ffnMultiplier, FusionLayout fusionLayout, int fusionEvery,
                      boolean sharedFusionProjections, FusionContext fusionContext, boolean imageTokenFfn, int gistTokens,
                      int gistHistory, int textTail, int eventTokens, int questionTokens, int vocabSize, String tokenizer,
                      MemoryPrecision memoryPrecision, double ropeBase) {
        this(formatVersion, imageSize, patchSize, stemChannels, width, heads, decoderLayers, visionLayers, ffnMultiplier,
                fusionLayout, fusionEvery, sharedFusionProjections, fusionContext, imageTokenFfn, gistTokens, gistHistory,
                textTail, eventTokens, questionTokens, vocabSize, tokenizer, memoryPrecision, ropeBase, false);
    }

    /** Events segment length of a history model: room for 22 words, which 99.99% of the history world's frames need at most. */
    public static final int HISTORY_EVENT_TOKENS = 24;

    /**
     * This design made for the history world: the history tokenizer (this vocabulary with the history
     * words appended), an events segment of at least {@link #HISTORY_EVENT_TOKENS} tokens, and gist
     * recurrence (D6) on. Every other size stays, so weights carry over (see model/README.md).
     */
    public CasaConfig forHistory(Tokenizer historyTokenizer) {
        return new CasaConfig(formatVersion, imageSize, patchSize, stemChannels, width, heads, decoderLayers, visionLayers,
                ffnMultiplier, fusionLayout, fusionEvery, sharedFusionProjections, fusionContext, imageTokenFfn, gistTokens,
                gistHistory, textTail, Math.max(eventTokens, HISTORY_EVENT_TOKENS), questionTokens,
                historyTokenizer.vocabSize(), historyTokenizer.name(), memoryPrecision, ropeBase, true);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bad CASA config: " + message);
        }
    }

    /** The shipped design: 64x64 frames, width 128, 4 decoder layers, 12 gist tokens, 2 frames of gist history. */
    public static CasaConfig defaults(Tokenizer tokenizer) {
        return new CasaConfig(FORMAT_VERSION, 64, 8, 32, 128, 4, 4, 2, 4,
                FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
                12, 2, 16, 20, 12, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP16, 10_000);
    }

    public int headDim() {
        return width / heads;
    }

    /** Image tokens per side of the frame's token grid. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Image tokens per frame. */
    public int imageTokens() {
        return gridSize() * gridSize();
    }

    /** Entries per self-attention layer in a stream's memory: H frames of k gist tokens, then the text tail. */
    public int memoryEntries() {
        return gistHistory * gistTokens + textTail;
    }

    /** Tokens in one frame's window (see the class comment for the layout). */
    public int windowLength() {
        return gistTokens + textTail + eventTokens + questionTokens;
    }

    public int captionStart() {
        return gistTokens;
    }

    public int eventsStart() {
        return gistTokens + textTail;
    }

    public int questionStart() {
        return gistTokens + textTail + eventTokens;
    }

    /** Rotary positions in use: the memory's fixed slots, then the window. */
    public int positions() {
        return memoryEntries() + windowLength();
    }

    /** Whether decoder layer {@code layer} has a self-attention branch (and so memory entries). */
    public boolean hasSelfAttention(int layer) {
        return fusionLayout == FusionLayout.PARALLEL || (layer + 1) % fusionEvery != 0;
    }

    /** Whether decoder layer {@code layer} has a fusion branch. */
    public boolean hasFusion(int layer) {
        return fusionLayout == FusionLayout.PARALLEL || (layer + 1) % fusionEvery == 0;
    }

    /** Decoder layers with self-attention: the layers a stream memory holds entries for. */
    public int selfAttentionLayers() {
        int count = 0;
        for (int layer = 0; layer < decoderLayers; layer++) {
            count += hasSelfAttention(layer) ? 1 : 0;
        }
        return count;
    }

    /**
     * A 64-bit fingerprint of every field: memory bytes carry it, so bytes of another model are refused.
     * Without gist recurrence it is the fingerprint configs had before that field existed, so memories
     * kept by running jobs stay readable.
     */
    public long fingerprint() {
        String text = toString();
        if (!gistRecurrence) {
            text = text.replace(", gistRecurrence=false]", "]");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
