package casastream.model.eval;

import casastream.model.CasaConfig;

/** Which part of a stream's memory the evaluator hides from the model at every frame. */
public enum MemoryAblation {
    /** The whole memory, as in production. */
    FULL("full"),
    /** The stream's whole cached past masked out: every frame is seen alone. */
    NO_MEMORY("no_memory"),
    /** Past gist entries masked, the text tail (previous caption) kept. */
    NO_GIST("no_gist");

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
                case FULL -> 1f;
                case NO_MEMORY -> 0f;
                case NO_GIST -> e < gist ? 0f : 1f;
            };
        }
        return keep;
    }
}
