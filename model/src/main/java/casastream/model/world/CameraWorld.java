package casastream.model.world;

import casastream.model.text.WorldText;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One stream of the synthetic camera world. Each {@link #next()} advances the scene by one frame
 * and returns the image with its ground truth. The whole stream is a function of (config, seed):
 * the scene's motion, the pixels and the questions each draw from their own split of the seed, so
 * changing, say, the number of questions leaves the images alone.
 *
 * <p>One rule turns geometry into text: a type is present when at least
 * {@link WorldConfig#presenceThreshold()} of its area is visible (inside the frame and not covered
 * by objects in front). Captions, entered/left events and answers all follow it. A present type
 * "moved" when its centre moved at least {@link WorldConfig#moveThreshold()} pixels since the
 * previous frame, in the direction of the larger axis.
 *
 * <p>In a world with {@link HistoryRules} (see {@link WorldConfig#historyWorld()}) the same rule also counts, per
 * type, the frames in a row it has been present or absent ({@link HistoryState}); the "stayed" and "came
 * back" events and the history questions follow those counts exactly.
 */
public final class CameraWorld {

    private final WorldConfig config;
    private final long seed;
    private final SceneDynamics dynamics;
    private final FrameRenderer renderer;
    private final QuestionSampler questions;
    private TypeState[] previous;
    private HistoryState[] history;
    private int index;

    public CameraWorld(WorldConfig config, long seed) {
        if (config == null) {
            throw new IllegalArgumentException("a camera world needs a configuration; use WorldConfig.defaults()");
        }
        this.config = config;
        this.seed = seed;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom motion = root.split();
        SplittableRandom pixels = root.split();
        SplittableRandom asking = root.split();
        this.dynamics = new SceneDynamics(config, motion, root.split());
        this.renderer = new FrameRenderer(config, pixels);
        this.questions = new QuestionSampler(config.questionsPerFrame(), asking, config.history());
        if (config.hasHistory()) {
            history = new HistoryState[ObjectType.COUNT];
            java.util.Arrays.fill(history, HistoryState.UNSEEN);
        }
    }

    public WorldConfig config() {
        return config;
    }

    public long seed() {
        return seed;
    }

    /** The index the next frame will have. */
    public int position() {
        return index;
    }

    /** The next frame of the stream. */
    public WorldFrame next() {
        if (index == 0) {
            dynamics.populate();
        } else {
            dynamics.step();
            renderer.driftBrightness();
        }
        List<WorldObject> objects = dynamics.objects();
        byte[] rgb = new byte[config.frameBytes()];
        double[] visible = renderer.render(objects, rgb);

        TypeState[] types = new TypeState[ObjectType.COUNT];
        float[] margin = new float[ObjectType.COUNT];
        Arrays.fill(margin, Float.NaN);
        for (int i = 0; i < objects.size(); i++) {
            WorldObject o = objects.get(i);
            types[o.type.index()] = stateOf(o, visible[i] >= config.presenceThreshold());
            margin[o.type.index()] = (float) (visible[i] - config.presenceThreshold());
        }
        for (int t = 0; t < types.length; t++) {
            if (types[t] == null) {
                types[t] = wasPresent(t) ? new TypeState(false, 0f, 0f, true, 0f, 0f, Motion.NONE) : TypeState.ABSENT;
            }
        }
        HistoryState[] now = null;
        if (history != null) {
            now = new HistoryState[ObjectType.COUNT];
            for (int t = 0; t < now.length; t++) {
                now[t] = history[t].next(types[t].present(), config.history().returnFrames());
            }
            history = now;
        }
        List<String> events = index == 0 ? List.of() : events(types, now, config.history());
        WorldFrame frame = new WorldFrame(seed, index, config.width(), config.height(), rgb,
                WorldText.caption(types), events, questions.sample(types, now), types, now == null ? null : now.clone(),
                margin);
        previous = types;
        index++;
        return frame;
    }

    /** The next {@code count} frames. */
    public List<WorldFrame> next(int count) {
        List<WorldFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(next());
        }
        return frames;
    }

    private boolean wasPresent(int typeIndex) {
        return previous != null && previous[typeIndex].present();
    }

    private TypeState stateOf(WorldObject o, boolean present) {
        boolean before = wasPresent(o.type.index());
        if (!present) {
            return new TypeState(false, 0f, 0f, before, 0f, 0f, Motion.NONE);
        }
        float x = (float) Math.min(1, Math.max(0, o.x / config.width()));
        float y = (float) Math.min(1, Math.max(0, o.y / config.height()));
        if (!before) {
            return new TypeState(true, x, y, false, 0f, 0f, Motion.NONE);
        }
        double dx = o.x - o.previousX;
        double dy = o.y - o.previousY;
        return new TypeState(true, x, y, true, (float) (dx / config.width()), (float) (dy / config.height()),
                Motion.of(dx, dy, config.moveThreshold()));
    }

    /**
     * Events since the previous frame in their fixed order: every "left", then every "entered", then every
     * "moved", then (history world) every "stayed", then every "came back", each by type index.
     */
    private static List<String> events(TypeState[] types, HistoryState[] history, HistoryRules rules) {
        List<String> events = new ArrayList<>();
        for (int t = 0; t < types.length; t++) {
            if (types[t].left()) {
                events.add(WorldText.left(ObjectType.of(t)));
            }
        }
        for (int t = 0; t < types.length; t++) {
            if (types[t].entered()) {
                events.add(WorldText.entered(ObjectType.of(t)));
            }
        }
        for (int t = 0; t < types.length; t++) {
            if (types[t].motion() != Motion.NONE) {
                events.add(WorldText.moved(ObjectType.of(t), types[t].motion()));
            }
        }
        if (history != null) {
            for (int t = 0; t < types.length; t++) {
                if (history[t].stayedNow(rules.stayFrames())) {
                    events.add(WorldText.stayed(ObjectType.of(t)));
                }
            }
            for (int t = 0; t < types.length; t++) {
                if (history[t].cameBackNow()) {
                    events.add(WorldText.cameBack(ObjectType.of(t)));
                }
            }
        }
        return events;
    }
}
