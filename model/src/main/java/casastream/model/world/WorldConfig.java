package casastream.model.world;

import casastream.model.CasaConfig;
import casastream.model.text.WorldText;
import casastream.model.text.WorldTokenizer;

/**
 * Every knob of the camera world. Lengths are in pixels of the frame, rates are per-frame
 * probabilities. {@link #defaults()} is the 64x64 world the model is trained on; {@link #builder()}
 * starts from those defaults, and {@link #scaledTo(int, int)} keeps proportions at another size.
 *
 * @param width             frame width in pixels
 * @param height            frame height in pixels
 * @param maxObjects        most objects in the world at once (0..ObjectType.COUNT)
 * @param minObjectSize     smallest side of an object's bounding box
 * @param maxObjectSize     largest side of an object's bounding box
 * @param minSpeed          slowest movement per frame
 * @param maxSpeed          fastest movement per frame
 * @param turnProbability   chance per frame that a wandering object picks a new direction
 * @param pauseProbability  chance per frame that a wandering object starts a pause
 * @param minPauseFrames    shortest pause
 * @param maxPauseFrames    longest pause
 * @param enterProbability  chance per frame that a new object starts entering (when below maxObjects)
 * @param leaveProbability  chance per frame that a wandering object heads out of the frame
 * @param maxOverlap        most bounding-box overlap (fraction of the smaller box) that wandering objects move into
 * @param presenceThreshold fraction of an object's area that must be visible (in frame, not occluded) for it to be present
 * @param moveThreshold     displacement since the previous frame that makes a movement event
 * @param noiseAmplitude    largest per-channel pixel noise, 0..255 scale
 * @param brightnessMin     darkest global brightness factor
 * @param brightnessMax     brightest global brightness factor
 * @param brightnessStep    largest change of the brightness factor per frame (slow drift)
 * @param questionsPerFrame yes/no questions per frame, even, half of them answered yes where the scene allows
 * @param history           the events and questions that need many frames of history ("stayed", "came back"),
 *                          and the returns that make them happen; {@link HistoryRules#NONE} for the frame-to-frame world
 */
public record WorldConfig(
        int width,
        int height,
        int maxObjects,
        double minObjectSize,
        double maxObjectSize,
        double minSpeed,
        double maxSpeed,
        double turnProbability,
        double pauseProbability,
        int minPauseFrames,
        int maxPauseFrames,
        double enterProbability,
        double leaveProbability,
        double maxOverlap,
        double presenceThreshold,
        double moveThreshold,
        int noiseAmplitude,
        double brightnessMin,
        double brightnessMax,
        double brightnessStep,
        int questionsPerFrame,
        HistoryRules history) {

    public WorldConfig {
        require(width >= 16 && height >= 16, "width and height must be at least 16 pixels, got " + width + "x" + height);
        require(maxObjects >= 0 && maxObjects <= ObjectType.COUNT,
                "maxObjects must be 0.." + ObjectType.COUNT + " (one object per type), got " + maxObjects);
        require(minObjectSize >= 3 && minObjectSize <= maxObjectSize,
                "object sizes need 3 <= minObjectSize <= maxObjectSize, got " + minObjectSize + ".." + maxObjectSize);
        require(maxObjectSize * 2 <= Math.min(width, height),
                "maxObjectSize " + maxObjectSize + " leaves no room to move in a " + width + "x" + height + " frame");
        require(minSpeed >= 0 && minSpeed <= maxSpeed,
                "speeds need 0 <= minSpeed <= maxSpeed, got " + minSpeed + ".." + maxSpeed);
        require(maxSpeed < minObjectSize, "maxSpeed " + maxSpeed + " must stay below minObjectSize " + minObjectSize
                + ", or objects could jump across the visibility threshold unseen");
        requireProbability("turnProbability", turnProbability);
        requireProbability("pauseProbability", pauseProbability);
        require(minPauseFrames >= 1 && minPauseFrames <= maxPauseFrames,
                "pauses need 1 <= minPauseFrames <= maxPauseFrames, got " + minPauseFrames + ".." + maxPauseFrames);
        requireProbability("enterProbability", enterProbability);
        requireProbability("leaveProbability", leaveProbability);
        require(maxOverlap >= 0 && maxOverlap <= 1, "maxOverlap must be 0..1, got " + maxOverlap);
        require(presenceThreshold > 0 && presenceThreshold <= 1, "presenceThreshold must be in (0, 1], got " + presenceThreshold);
        require(moveThreshold > 0, "moveThreshold must be positive, got " + moveThreshold);
        require(noiseAmplitude >= 0 && noiseAmplitude <= 64, "noiseAmplitude must be 0..64, got " + noiseAmplitude);
        require(brightnessMin > 0 && brightnessMin <= 1 && brightnessMax >= 1 && brightnessMax <= 2,
                "brightness must satisfy 0 < brightnessMin <= 1 <= brightnessMax <= 2, got " + brightnessMin + ".." + brightnessMax);
        require(brightnessStep >= 0 && brightnessStep <= 0.2, "brightnessStep must be 0..0.2, got " + brightnessStep);
        require(questionsPerFrame >= 0 && questionsPerFrame % 2 == 0,
                "questionsPerFrame must be even and not negative (half yes, half no), got " + questionsPerFrame);
        require(history != null, "history must be set; use HistoryRules.NONE for a world without history events");
    }

    /** The same world with 21 knobs and no history events (the frame-to-frame world). */
    public WorldConfig(int width, int height, int maxObjects, double minObjectSize, double maxObjectSize, double minSpeed,
                       double maxSpeed, double turnProbability, double pauseProbability, int minPauseFrames,
                       int maxPauseFrames, double enterProbability, double leaveProbability, double maxOverlap,
                       double presenceThreshold, double moveThreshold, int noiseAmplitude, double brightnessMin,
                       double brightnessMax, double brightnessStep, int questionsPerFrame) {
        this(width, height, maxObjects, minObjectSize, maxObjectSize, minSpeed, maxSpeed, turnProbability,
                pauseProbability, minPauseFrames, maxPauseFrames, enterProbability, leaveProbability, maxOverlap,
                presenceThreshold, moveThreshold, noiseAmplitude, brightnessMin, brightnessMax, brightnessStep,
                questionsPerFrame, HistoryRules.NONE);
    }

    /** The 64x64 world: 0-3 objects of 12-15 px moving 3-4 px per frame. */
    public static WorldConfig defaults() {
        return new WorldConfig(64, 64, 3, 12, 15, 3, 4,
                0.08, 0.3, 2, 5,
                0.13, 0.2,
                0.25, 0.4, 2,
                10, 0.75, 1.25, 0.02,
                4);
    }

    /**
     * The history world: the 64x64 world of {@link #defaults()} where objects stay longer and some come
     * back after leaving, with the "stayed" and "came back" events and their questions
     * ({@link HistoryRules#defaults()}). Objects wander out with a chance of 0.05 per frame instead
     * of 0.2 (a visit lasts about 40 frames, so a good share of them cross the 30 frames of "stayed"),
     * and new objects come in at 0.04 per frame instead of 0.13, so scenes still hold 0 to 3 objects.
     */
    public static WorldConfig historyWorld() {
        return defaults().toBuilder().traffic(0.04, 0.05).history(HistoryRules.defaults()).build();
    }

    /**
     * The world a model with this tokenizer is trained and judged on: the history world when the
     * tokenizer has an id for every history word ({@link WorldText#historyWords()}), else the
     * frame-to-frame world of {@link #defaults()}.
     */
    public static WorldConfig forVocabulary(casastream.model.text.Tokenizer tokenizer) {
        int unknown = tokenizer.id(casastream.model.text.Special.UNKNOWN);
        for (int id : tokenizer.encode(String.join(" ", WorldText.historyWords()))) {
            if (id == unknown) {
                return defaults();
            }
        }
        return historyWorld();
    }

    /**
     * The world a model of this design is trained and judged on: {@link #forVocabulary} of the tokenizer
     * its config names, or the frame-to-frame world of {@link #defaults()} for a tokenizer this build does
     * not know (such a model does not load anyway).
     */
    public static WorldConfig forModel(CasaConfig config) {
        try {
            return forVocabulary(WorldTokenizer.named(config.tokenizer()));
        } catch (IllegalArgumentException unknown) {
            return defaults();
        }
    }

    /** Whether the world has the events and questions that need many frames of history. */
    public boolean hasHistory() {
        return history.enabled();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The same world at another frame size: object sizes, speeds and the movement threshold scale
     * with the shorter side relative to this configuration's shorter side.
     */
    public WorldConfig scaledTo(int newWidth, int newHeight) {
        double factor = (double) Math.min(newWidth, newHeight) / Math.min(width, height);
        return new WorldConfig(newWidth, newHeight, maxObjects,
                minObjectSize * factor, maxObjectSize * factor, minSpeed * factor, maxSpeed * factor,
                turnProbability, pauseProbability, minPauseFrames, maxPauseFrames,
                enterProbability, leaveProbability, maxOverlap, presenceThreshold, moveThreshold * factor,
                noiseAmplitude, brightnessMin, brightnessMax, brightnessStep, questionsPerFrame, history);
    }

    /** How many bytes one frame's HWC RGB image has. */
    public int frameBytes() {
        return width * height * 3;
    }

    private static void requireProbability(String name, double p) {
        require(p >= 0 && p <= 1, name + " must be a probability 0..1, got " + p);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid world configuration: " + message);
        }
    }

    /** Changes knobs of a configuration; {@link #build()} validates the result once. */
    public static final class Builder {
        private int width;
        private int height;
        private int maxObjects;
        private double minObjectSize;
        private double maxObjectSize;
        private double minSpeed;
        private double maxSpeed;
        private double turnProbability;
        private double pauseProbability;
        private int minPauseFrames;
        private int maxPauseFrames;
        private double enterProbability;
        private double leaveProbability;
        private double maxOverlap;
        private double presenceThreshold;
        private double moveThreshold;
        private int noiseAmplitude;
        private double brightnessMin;
        private double brightnessMax;
        private double brightnessStep;
        private int questionsPerFrame;
        private HistoryRules history;

        private Builder(WorldConfig c) {
            width = c.width;
            height = c.height;
            maxObjects = c.maxObjects;
            minObjectSize = c.minObjectSize;
            maxObjectSize = c.maxObjectSize;
            minSpeed = c.minSpeed;
            maxSpeed = c.maxSpeed;
            turnProbability = c.turnProbability;
            pauseProbability = c.pauseProbability;
            minPauseFrames = c.minPauseFrames;
            maxPauseFrames = c.maxPauseFrames;
            enterProbability = c.enterProbability;
            leaveProbability = c.leaveProbability;
            maxOverlap = c.maxOverlap;
            presenceThreshold = c.presenceThreshold;
            moveThreshold = c.moveThreshold;
            noiseAmplitude = c.noiseAmplitude;
            brightnessMin = c.brightnessMin;
            brightnessMax = c.brightnessMax;
            brightnessStep = c.brightnessStep;
            questionsPerFrame = c.questionsPerFrame;
            history = c.history;
        }

        /** Sets the frame size only; see {@link WorldConfig#scaledTo(int, int)} to keep proportions. */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder maxObjects(int maxObjects) {
            this.maxObjects = maxObjects;
            return this;
        }

        public Builder objectSize(double min, double max) {
            this.minObjectSize = min;
            this.maxObjectSize = max;
            return this;
        }

        public Builder speed(double min, double max) {
            this.minSpeed = min;
            this.maxSpeed = max;
            return this;
        }

        /** Per-frame chances that a wandering object turns or starts a pause of min..max frames. */
        public Builder wandering(double turnProbability, double pauseProbability, int minPauseFrames, int maxPauseFrames) {
            this.turnProbability = turnProbability;
            this.pauseProbability = pauseProbability;
            this.minPauseFrames = minPauseFrames;
            this.maxPauseFrames = maxPauseFrames;
            return this;
        }

        /** Per-frame chances that an object starts entering and that a wandering object heads out. */
        public Builder traffic(double enterProbability, double leaveProbability) {
            this.enterProbability = enterProbability;
            this.leaveProbability = leaveProbability;
            return this;
        }

        /** Occlusion and the two thresholds that turn geometry into text. */
        public Builder visibility(double maxOverlap, double presenceThreshold, double moveThreshold) {
            this.maxOverlap = maxOverlap;
            this.presenceThreshold = presenceThreshold;
            this.moveThreshold = moveThreshold;
            return this;
        }

        /** Pixel noise and the brightness drift's range and per-frame step. */
        public Builder photometry(int noiseAmplitude, double brightnessMin, double brightnessMax, double brightnessStep) {
            this.noiseAmplitude = noiseAmplitude;
            this.brightnessMin = brightnessMin;
            this.brightnessMax = brightnessMax;
            this.brightnessStep = brightnessStep;
            return this;
        }

        public Builder questionsPerFrame(int questionsPerFrame) {
            this.questionsPerFrame = questionsPerFrame;
            return this;
        }

        /** The history events' thresholds and returns; {@link HistoryRules#NONE} turns them off. */
        public Builder history(HistoryRules history) {
            this.history = history;
            return this;
        }

        /** The configuration; throws IllegalArgumentException naming the first bad knob. */
        public WorldConfig build() {
            return new WorldConfig(width, height, maxObjects, minObjectSize, maxObjectSize, minSpeed, maxSpeed,
                    turnProbability, pauseProbability, minPauseFrames, maxPauseFrames, enterProbability,
                    leaveProbability, maxOverlap, presenceThreshold, moveThreshold, noiseAmplitude,
                    brightnessMin, brightnessMax, brightnessStep, questionsPerFrame, history);
        }
    }
}
