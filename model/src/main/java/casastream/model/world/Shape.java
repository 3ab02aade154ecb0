package casastream.model.world;

import java.util.Locale;

/** The kinds of object the camera world draws; the declaration order is part of {@link ObjectType#index()}. */
public enum Shape {
    CIRCLE,
    SQUARE,
    TRIANGLE;

    /** The word used for this shape in captions, events and questions, e.g. {@code "circle"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
