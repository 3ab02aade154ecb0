package casastream.model.eval;

import casastream.model.CasaConfig;

/** Which part of a stream's memory (or of its frames) the evaluator hides from the model at every frame. */
public enum MemoryAblation {
    /** The whole memory, as in production. */
    FULL("full"),
    /** The stream's whole cached past masked out: every frame is seen alone. */
    NO_MEMORY("no_memory"),
    /** Past gist entries masked (and the gist state wiped, with gist recurrence), the text tail (previous caption) kept. */
    NO_GIST("no_gist"),
    /**
     * The blind control: every frame's image tokens hidden from the fusion layers (the memory kept, but it
     * only ever holds what a blind model wrote), so captions and answers come from priors alone.
     */
    NO_IMAGE("no_image");

    private final String key;

    MemoryAblation(String key) {
        this.key = key;
    }

    /** The name in reports and JSON, e.g. "no_gist". */
    public String key() {
        return key;
    }

    /** Per memory entry, 1 to keep it and 0 to hide it. */
    public float[] keepMask(CasaConfig config) {
        float[] keep = new float[config.memoryEntries()];
        int gist = config.gistHistory() * config.gistTokens();
        for (int e = 0; e < keep.length; e++) {
            keep[e] = switch (this) {
                case FULL, NO_IMAGE -> 1f;
                case NO_MEMORY -> 0f;
                case NO_GIST -> e < gist ? 0f : 1f;
            };
        }
        return keep;
    }

    /** 1 to keep a stream's gist state (gist recurrence), 0 to wipe it: the gist state is gist memory. */
    public float keepGistState() {
        return this == FULL || this == NO_IMAGE ? 1f : 0f;
    }

    /** Whether the frames' image tokens are hidden. */
    public boolean hidesImage() {
        return this == NO_IMAGE;
    }
}
