package casastream.model.decode;

import java.util.Arrays;
import java.util.Locale;

/** How {@link GreedyDecoder} decodes; both write the same texts, token for token. */
public enum Decoding {

    /** Token by token; every stream of a batch decodes until the batch's longest text ends. */
    PLAIN,

    /**
     * Each stream's last caption and events (its memory carries them) are checked first as a draft,
     * in one pass, and taken where the model confirms them token for token; streams that finished a
     * text leave the batch while the others decode on.
     */
    DRAFT;

    /** The name users type: {@code plain} or {@code draft}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code plain} or {@code draft}, naming both when the value is neither. */
    public static Decoding of(String id) {
        for (Decoding decoding : values()) {
            if (decoding.id().equals(id)) {
                return decoding;
            }
        }
        throw new IllegalArgumentException("unknown decoder '" + id + "': use one of "
                + String.join(", ", Arrays.stream(values()).map(Decoding::id).toList()));
    }
}
