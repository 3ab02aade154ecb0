package casastream.model.world;

import java.util.Locale;

/** Which way an object moved since the previous frame, by the dominant axis of its displacement. */
public enum Motion {
    NONE,
    LEFT,
    RIGHT,
    UP,
    DOWN;

    /** The direction word of a movement event, e.g. {@code "left"}; NONE has no word. */
    public String word() {
        if (this == NONE) {
            throw new IllegalStateException("Motion.NONE has no word: only real movements become events");
        }
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a displacement in pixels (y grows downwards, as in the image): NONE below the
     * threshold, otherwise the direction of the dominant axis.
     */
    public static Motion of(double dxPixels, double dyPixels, double thresholdPixels) {
        if (Math.hypot(dxPixels, dyPixels) < thresholdPixels) {
            return NONE;
        }
        if (Math.abs(dxPixels) >= Math.abs(dyPixels)) {
            return dxPixels < 0 ? LEFT : RIGHT;
        }
        return dyPixels < 0 ? UP : DOWN;
    }
}
