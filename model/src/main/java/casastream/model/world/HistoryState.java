package casastream.model.world;

/**
 * How long one type has been present or absent, for the history events, questions and probes.
 *
 * @param presentFrames frames in a row the type has been present, this one included; 0 when absent
 * @param absentFrames  frames in a row the type has been absent since it was last present, this one included;
 *                      0 when present, {@link #NEVER} when it has not been present in this stream
 * @param returned      whether the type's current visit began by coming back (false when absent)
 */
public record HistoryState(int presentFrames, int absentFrames, boolean returned) {

    /** absentFrames of a type not seen in the stream so far. */
    public static final int NEVER = -1;

    /** A type never seen so far. */
    public static final HistoryState UNSEEN = new HistoryState(0, NEVER, false);

    public HistoryState {
        if (presentFrames < 0 || (presentFrames > 0) == (absentFrames != 0) || absentFrames < NEVER
                || (returned && presentFrames == 0)) {
            throw new IllegalArgumentException("inconsistent history state: present " + presentFrames + ", absent "
                    + absentFrames + ", returned " + returned);
        }
    }

    public boolean present() {
        return presentFrames > 0;
    }

    /** The state one frame later, given whether the type is present then. */
    HistoryState next(boolean presentNow, int returnFrames) {
        if (presentNow) {
            if (present()) {
                return new HistoryState(presentFrames == Integer.MAX_VALUE ? presentFrames : presentFrames + 1, 0, returned);
            }
            return new HistoryState(1, 0, absentFrames != NEVER && absentFrames <= returnFrames);
        }
        if (present()) {
            return new HistoryState(0, 1, false);
        }
        return absentFrames == NEVER || absentFrames == Integer.MAX_VALUE ? this : new HistoryState(0, absentFrames + 1, false);
    }

    /** Whether this frame is the one where the type's stay reaches {@code stayFrames}: its "stayed" event. */
    public boolean stayedNow(int stayFrames) {
        return presentFrames == stayFrames;
    }

    /** Whether this frame is the one where the type came back: its "came back" event. */
    public boolean cameBackNow() {
        return returned && presentFrames == 1;
    }

    /** Whether the type has been present at least {@code stayFrames} frames in a row ("been here long"). */
    public boolean beenHereLong(int stayFrames) {
        return presentFrames >= stayFrames;
    }

    /**
     * The state as one class of the training probe, 2N + M + 1 classes: present 1..N frames (N and more
     * as N), each without and with "returned"; absent 1..M frames; absent longer or never seen.
     */
    public int probeClass(HistoryRules rules) {
        int n = rules.stayFrames();
        int m = rules.returnFrames();
        if (present()) {
            return Math.min(presentFrames, n) - 1 + (returned ? n : 0);
        }
        return absentFrames != NEVER && absentFrames <= m ? 2 * n + absentFrames - 1 : 2 * n + m;
    }

    /** How many probe classes the rules give: 2N + M + 1. */
    public static int probeClasses(HistoryRules rules) {
        return 2 * rules.stayFrames() + rules.returnFrames() + 1;
    }
}
