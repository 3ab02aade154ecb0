package casastream.model.world;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One frame of a camera world stream with its ground truth. The arrays are handed over, not copied
 * (training reads millions of frames): treat them as read-only.
 *
 * @param seed      the stream's seed
 * @param index     the frame's position in the stream, from 0
 * @param width     frame width in pixels
 * @param height    frame height in pixels
 * @param rgb       the image, HWC row-major RGB, width*height*3 bytes (read them as unsigned)
 * @param caption   canonical caption, "nothing" when the scene is empty
 * @param events    canonical events since the previous frame, in a fixed order (left, entered, moved; each by type index); none in frame 0
 * @param questions yes/no questions with their answers, balanced between yes and no
 * @param types     ground truth per type, indexed by {@link ObjectType#index()}
 * @param history   per type, how long it has been present or absent (indexed like types), or null in a world
 *                  without history events
 * @param presenceMargin per type, the fraction of its object's area that is visible less the world's presence
 *                  threshold (at least 0: present), NaN when no object of the type is in the scene; null where
 *                  not recorded
 */
public record WorldFrame(long seed, int index, int width, int height, byte[] rgb, String caption,
                         List<String> events, List<YesNo> questions, TypeState[] types, HistoryState[] history,
                         float[] presenceMargin) {

    /** A frame of a world without history events. */
    public WorldFrame(long seed, int index, int width, int height, byte[] rgb, String caption,
                      List<String> events, List<YesNo> questions, TypeState[] types) {
        this(seed, index, width, height, rgb, caption, events, questions, types, null, null);
    }

    /**
     * Whether some object in the scene is within {@code margin} of the presence threshold, on either
     * side: a frame where presence, and so the caption and the entered and left events, hinge on a
     * small part of an object's area.
     */
    public boolean presenceBorderline(double margin) {
        if (presenceMargin == null) {
            return false;
        }
        for (float m : presenceMargin) {
            if (!Float.isNaN(m) && Math.abs(m) <= margin) {
                return true;
            }
        }
        return false;
    }

    public WorldFrame {
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(types, "types");
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, a " + width + "x" + height
                    + " RGB frame needs " + width * height * 3);
        }
        if (types.length != ObjectType.COUNT) {
            throw new IllegalArgumentException("types has " + types.length + " entries, expected one per object type: " + ObjectType.COUNT);
        }
        if (presenceMargin != null && presenceMargin.length != ObjectType.COUNT) {
            throw new IllegalArgumentException("presenceMargin has " + presenceMargin.length
                    + " entries, expected one per object type: " + ObjectType.COUNT);
        }
        if (history != null && history.length != ObjectType.COUNT) {
            throw new IllegalArgumentException("history has " + history.length + " entries, expected one per object type: " + ObjectType.COUNT);
        }
        events = List.copyOf(events);
        questions = List.copyOf(questions);
    }

    /** The ground truth of one type. */
    public TypeState state(ObjectType type) {
        return types[type.index()];
    }

    /** The history of one type; throws in a world without history events. */
    public HistoryState history(ObjectType type) {
        if (history == null) {
            throw new IllegalStateException("this frame's world has no history events (HistoryRules.NONE)");
        }
        return history[type.index()];
    }

    /** How many types are present. */
    public int presentCount() {
        int n = 0;
        for (TypeState t : types) {
            if (t.present()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorldFrame f && seed == f.seed && index == f.index && width == f.width
                && height == f.height && Arrays.equals(rgb, f.rgb) && caption.equals(f.caption)
                && events.equals(f.events) && questions.equals(f.questions) && Arrays.equals(types, f.types)
                && Arrays.equals(history, f.history);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, index, width, height, Arrays.hashCode(rgb), caption, events, questions, Arrays.hashCode(types),
                Arrays.hashCode(history));
    }

    @Override
    public String toString() {
        return "WorldFrame[seed=" + seed + ", index=" + index + ", " + width + "x" + height + ", caption=" + caption
                + ", events=" + events + ", questions=" + questions + "]";
    }
}
