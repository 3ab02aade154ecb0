package casastream.model.world;

/**
 * The events that need many frames of history, and the returns that make them happen.
 *
 * <ul>
 *   <li>"the red circle stayed": the type has been present for {@code stayFrames} frames in a row; reported
 *       once, in the frame where the count reaches the threshold (a type that leaves, even for one frame
 *       behind another object, starts counting again when it is back);</li>
 *   <li>"the red circle came back": the type became present again after at most {@code returnFrames} frames
 *       of absence (counted from the frame of its "left" event); reported with its "entered" event.</li>
 * </ul>
 *
 * The questions "has the red circle been here long ?" (asked about present types: yes when present for at
 * least {@code stayFrames} frames in a row) and "did anything come back ?" (yes when a present type's
 * current visit began by coming back) read the same counts.
 *
 * <p>So that returns happen at all (a new object's type is drawn at random from twelve), an object that
 * leaves the frame is, with chance {@code returnProbability}, sent back after a delay drawn uniformly from
 * 1..{@code maxReturnDelay} frames, with its size, speed and shade: it comes back through a random edge
 * as soon as the delay is over and the scene has room. With {@code maxReturnDelay} = 2 x returnFrames
 * about half of those returns are "came back" and the other half come too late, so the model must count.
 *
 * @param stayFrames        N: frames in a row that make "stayed" (0: no history events at all)
 * @param returnFrames      M: most frames of absence after which a return is "came back"
 * @param returnProbability chance that a leaving object is sent back
 * @param maxReturnDelay    longest delay before a sent-back object re-enters
 */
public record HistoryRules(int stayFrames, int returnFrames, double returnProbability, int maxReturnDelay) {

    /** No history events, no returns: the frame-to-frame world. */
    public static final HistoryRules NONE = new HistoryRules(0, 0, 0, 0);

    public HistoryRules {
        boolean off = stayFrames == 0 && returnFrames == 0 && returnProbability == 0 && maxReturnDelay == 0;
        if (!off) {
            if (stayFrames < 2 || returnFrames < 1) {
                throw new IllegalArgumentException("invalid history rules: need stayFrames >= 2 and returnFrames >= 1, got "
                        + stayFrames + " and " + returnFrames + " (all zero turns history off)");
            }
            if (!(returnProbability >= 0 && returnProbability <= 1) || maxReturnDelay < 1) {
                throw new IllegalArgumentException("invalid history rules: returnProbability must be 0..1 and maxReturnDelay >= 1, got "
                        + returnProbability + " and " + maxReturnDelay);
            }
        }
    }

    /**
     * N = 30 and M = 40. Both are far beyond what the memory's H = 2 frames of gist could hold by
     * attending (and beyond the 4 decoder layers x 2 frames that cached keys can chain), so they can only
     * be carried by a recurrent state, yet they stay in the tens of frames: at 40 frames a visit of the
     * history world crosses N about half of the time, and M = 40 separates a short absence from a long
     * one on the same scale. Returns: half of the leavers come back, within 1..80 frames.
     */
    public static HistoryRules defaults() {
        return new HistoryRules(30, 40, 0.5, 80);
    }

    /** Whether the world has history events. */
    public boolean enabled() {
        return stayFrames > 0;
    }
}
