package casastream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.decode.WindowLayout;
import casastream.model.nn.VisionEncoder;
import casastream.model.text.WorldText;
import casastream.model.world.HistoryRules;
import casastream.model.world.HistoryState;
import casastream.model.world.ObjectType;
import casastream.model.world.TypeState;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One frame of B training streams as tensors: pixels, the teacher-forced windows (one random
 * standing question each) and the probes' ground truth per object type.
 *
 * @param pixels     (B,3,S,S)
 * @param tokens     (B,W)
 * @param valid      (B,W)
 * @param targets    (B,W) the next token each position must predict (0 where there is no loss)
 * @param targetMask (B,W) the weight of each position's loss: 0 where it carries none, else 1, times
 *                   {@link #HISTORY_WEIGHT} on the positions that decide a history event or answer and
 *                   {@link #BORDERLINE_WEIGHT} on the texts of a frame where presence is borderline
 * @param presence   (B,T) 1 when type t is present
 * @param position   (B,T,2) centre x, y in 0..1
 * @param motion     (B,T) motion class (Motion ordinal)
 * @param motionMask (B,T) 1 when the type is present in this and the previous frame
 * @param history    (B,T) the type's history class ({@link HistoryState#probeClass}) in a history world, else null
 */
record FrameBatch(NDArray pixels, NDArray tokens, NDArray valid, NDArray targets, NDArray targetMask,
                  NDArray presence, NDArray position, NDArray motion, NDArray motionMask, NDArray history) {

    /**
     * In a history world, the loss weight of the events segment of a frame where a history event is due or
     * nearly due (a type present for N-2..N+2 frames, or just entered: "came back" or not), and of the answer
     * to a history question. Those positions are a few percent of the text; at weight 1 the text loss
     * barely moved on them in 1,000 steps while the history probe learned its counts (model/README.md,
     * "History"). The frames on both sides of the threshold are weighted alike, so that saying "stayed"
     * one frame early or late costs as much as not saying it.
     */
    static final float HISTORY_WEIGHT = 4f;

    /**
     * In a history world, the loss weight of the caption and events of a frame where an object's visible
     * area is within {@link #BORDERLINE_MARGIN} of the presence threshold. Seeing an object enter one frame
     * early or late was the largest cause of wrong history events (model/README.md, "Where the history errors
     * come from"): the count then starts a frame off, and "stayed" and "came back" are written a frame off.
     */
    static final float BORDERLINE_WEIGHT = 3f;

    /** How near the presence threshold (as a fraction of the object's area) makes a frame borderline. */
    static final double BORDERLINE_MARGIN = 0.15;

    static FrameBatch of(NDManager manager, CasaConfig config, VisionEncoder vision, WindowLayout layout,
                         List<WorldFrame> frames, Random random) {
        return of(manager, config, vision, layout, frames, random, HistoryRules.NONE);
    }

    static FrameBatch of(NDManager manager, CasaConfig config, VisionEncoder vision, WindowLayout layout,
                         List<WorldFrame> frames, Random random, HistoryRules rules) {
        int batch = frames.size();
        int w = config.windowLength();
        int types = ObjectType.COUNT;
        int[][] tokens = new int[batch][];
        float[][] valid = new float[batch][];
        int[][] targets = new int[batch][];
        float[][] targetMask = new float[batch][w];
        float[] presence = new float[batch * types];
        float[] position = new float[batch * types * 2];
        float[] motion = new float[batch * types];
        float[] motionMask = new float[batch * types];
        float[] history = rules.enabled() ? new float[batch * types] : null;
        List<byte[]> rgb = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            WorldFrame frame = frames.get(b);
            rgb.add(frame.rgb());
            List<YesNo> questions = frame.questions();
            YesNo asked = questions.isEmpty() ? null : questions.get(random.nextInt(questions.size()));
            WindowLayout.Window window = layout.teacherForced(frame.caption(), WorldText.events(frame.events()),
                    asked == null ? null : asked.question(), asked != null && asked.answer());
            tokens[b] = window.tokens();
            valid[b] = window.valid();
            targets[b] = window.targets().clone();
            for (int i = 0; i < w; i++) {
                targetMask[b][i] = targets[b][i] == WindowLayout.NO_TARGET ? 0f : 1f;
                targets[b][i] = Math.max(0, targets[b][i]);
            }
            if (rules.enabled()) {
                if (frame.presenceBorderline(BORDERLINE_MARGIN)) {
                    for (int i = config.captionStart(); i < config.eventsStart() + config.eventTokens(); i++) {
                        targetMask[b][i] *= BORDERLINE_WEIGHT;
                    }
                }
                if (historyDecision(frame, rules)) {
                    for (int i = config.eventsStart(); i < config.eventsStart() + config.eventTokens(); i++) {
                        targetMask[b][i] *= HISTORY_WEIGHT;
                    }
                }
                if (asked != null && WorldText.isHistoryQuestion(asked.question())) {
                    targetMask[b][layout.answerPosition() - 1] *= HISTORY_WEIGHT;
                }
            }
            TypeState[] states = frame.types();
            for (int t = 0; t < types; t++) {
                int i = b * types + t;
                presence[i] = states[t].present() ? 1f : 0f;
                position[2 * i] = states[t].x();
                position[2 * i + 1] = states[t].y();
                motion[i] = states[t].motion().ordinal();
                motionMask[i] = states[t].present() && states[t].presentBefore() ? 1f : 0f;
                if (history != null) {
                    history[i] = frame.history()[t].probeClass(rules);
                }
            }
        }
        return new FrameBatch(vision.pixels(manager, rgb), manager.create(tokens), manager.create(valid),
                manager.create(targets), manager.create(targetMask), manager.create(presence, new Shape(batch, types)),
                manager.create(position, new Shape(batch, types, 2)),
                manager.create(motion, new Shape(batch, types)), manager.create(motionMask, new Shape(batch, types)),
                history == null ? null : manager.create(history, new Shape(batch, types)));
    }

    /** Whether a type's history is at a point where a history event may be due in this frame. */
    static boolean historyDecision(WorldFrame frame, HistoryRules rules) {
        int n = rules.stayFrames();
        for (HistoryState state : frame.history()) {
            int present = state.presentFrames();
            if (present == 1 || (present >= n - 2 && present <= n + 2)) {
                return true;
            }
        }
        return false;
    }
}
