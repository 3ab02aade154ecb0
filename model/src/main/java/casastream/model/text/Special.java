package casastream.model.text;

import java.util.Locale;

/** Tokens with a role rather than a word: padding, end of text, section markers, and the unknown word. */
public enum Special {
    PAD,
    EOS,
    CAPTION,
    EVENTS,
    QUESTION,
    ANSWER,
    UNKNOWN;

    /** How the token is written in text, e.g. {@code "<eos>"}; {@link #UNKNOWN} is {@code "<unk>"}. */
    public String text() {
        return this == UNKNOWN ? "<unk>" : "<" + name().toLowerCase(Locale.ROOT) + ">";
    }
}
