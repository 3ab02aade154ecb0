package casastream.model.world;

import java.util.Locale;

/**
 * The colours of the camera world, with their nominal RGB. The colours sit far apart in hue so that
 * they stay recognisable under the world's brightness drift; the declaration order is part of
 * {@link ObjectType#index()}.
 */
public enum Colour {
    RED(220, 40, 40),
    GREEN(40, 185, 60),
    BLUE(50, 90, 235),
    YELLOW(235, 215, 40);

    private final int red;
    private final int green;
    private final int blue;

    Colour(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The word used for this colour in captions, events and questions, e.g. {@code "red"}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    int red() {
        return red;
    }

    int green() {
        return green;
    }

    int blue() {
        return blue;
    }
}
