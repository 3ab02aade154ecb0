package casastream.model.world;

/**
 * Ground truth for one object type in one frame, for training probes and tests.
 *
 * @param present       whether the type is in the scene by the world's visibility rule (the same rule as captions)
 * @param x             centre, 0 (left) .. 1 (right), when present; 0 otherwise
 * @param y             centre, 0 (top) .. 1 (bottom), when present; 0 otherwise
 * @param presentBefore whether the type was present in the previous frame (false for frame 0)
 * @param dx            horizontal displacement since the previous frame in pixels / width, when present in both frames; 0 otherwise
 * @param dy            vertical displacement since the previous frame in pixels / height (positive downwards), when present in both frames; 0 otherwise
 * @param motion        the movement event's direction; NONE unless present in both frames and moved at least the threshold
 */
public record TypeState(boolean present, float x, float y, boolean presentBefore, float dx, float dy, Motion motion) {

    /** The state of a type that is neither present now nor was before. */
    public static final TypeState ABSENT = new TypeState(false, 0f, 0f, false, 0f, 0f, Motion.NONE);

    public TypeState {
        if (motion == null) {
            throw new IllegalArgumentException("motion must not be null; use Motion.NONE");
        }
        if (motion != Motion.NONE && !(present && presentBefore)) {
            throw new IllegalArgumentException("a type can only move while present in both frames, got motion " + motion);
        }
    }

    /** Whether this type's entry marks an "entered" event. */
    public boolean entered() {
        return present && !presentBefore;
    }

    /** Whether this type's entry marks a "left" event. */
    public boolean left() {
        return presentBefore && !present;
    }
}
