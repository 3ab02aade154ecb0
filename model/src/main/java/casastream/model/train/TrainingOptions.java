package casastream.model.train;

import java.nio.file.Path;

/**
 * Everything a training run is told.
 *
 * @param runDir            where checkpoints, state and logs go; a run resumes when it holds a checkpoint
 * @param initFrom          null, "shipped", or a checkpoint directory to start a new run from
 * @param maxSteps          stop after this many steps in this invocation (0: no step limit)
 * @param maxMinutes        stop after this many minutes in this invocation (0: no time limit)
 * @param batch             streams per step
 * @param frames            frames unrolled per step (gradients flow through the memory across them)
 * @param streamFrames      frames a training stream lasts before its slot starts a new seed; 0: the world's default
 * @param peakLearningRate  after warm-up
 * @param floorLearningRate end of the cosine
 * @param warmupSteps       linear warm-up
 * @param scheduleSteps     length of the cosine and the probe curriculum, in global steps
 * @param clipNorm          global gradient norm clip
 * @param weightDecay       decoupled weight decay on matrices
 * @param seed              initialisation and question sampling seed
 * @param checkpointMinutes minutes between checkpoints
 * @param validateMinutes   minutes between streaming validations
 * @param validationStreams validation streams (from the validation seed range); 0: the world's default
 *                          (32, or 16 in the history world)
 * @param validationFrames  frames per validation stream; 0: the world's default (20, or 160 in the history
 *                          world, whose events need streams older than N + M frames)
 * @param world             null to train the model on its own world (the one its tokenizer selects),
 *                          {@link #HISTORY} to train it on the history world, growing it first if it was made
 *                          for the frame-to-frame world, or {@link #DEFAULT_WORLD} to insist on that one
 */
public record TrainingOptions(Path runDir, String initFrom, long maxSteps, double maxMinutes, int batch, int frames,
                              int streamFrames, float peakLearningRate, float floorLearningRate, long warmupSteps,
                              long scheduleSteps, float clipNorm, float weightDecay, long seed, double checkpointMinutes,
                              double validateMinutes, int validationStreams, int validationFrames, String world) {

    public static final String HISTORY = "history";
    public static final String DEFAULT_WORLD = "default";

    /** Options that train the model on its own world. */
    public TrainingOptions(Path runDir, String initFrom, long maxSteps, double maxMinutes, int batch, int frames,
                           int streamFrames, float peakLearningRate, float floorLearningRate, long warmupSteps,
                           long scheduleSteps, float clipNorm, float weightDecay, long seed, double checkpointMinutes,
                           double validateMinutes, int validationStreams, int validationFrames) {
        this(runDir, initFrom, maxSteps, maxMinutes, batch, frames, streamFrames, peakLearningRate, floorLearningRate,
                warmupSteps, scheduleSteps, clipNorm, weightDecay, seed, checkpointMinutes, validateMinutes,
                validationStreams, validationFrames, null);
    }

    public TrainingOptions {
        if (world != null && !world.equals(HISTORY) && !world.equals(DEFAULT_WORLD)) {
            throw new IllegalArgumentException("the world to train on is '" + HISTORY + "' or '" + DEFAULT_WORLD + "', got '"
                    + world + "'");
        }
        if (validationStreams < 0 || validationFrames < 0) {
            throw new IllegalArgumentException("validation streams and frames must not be negative (0: the world's default)");
        }
        if (runDir == null) {
            throw new IllegalArgumentException("a training run needs a run directory (--run DIR)");
        }
        if (batch < 1 || frames < 1 || (streamFrames != 0 && streamFrames < frames)) {
            throw new IllegalArgumentException("need batch >= 1, frames >= 1 and streamFrames >= frames, got batch " + batch
                    + ", frames " + frames + ", streamFrames " + streamFrames);
        }
        if (maxSteps < 0 || maxMinutes < 0 || scheduleSteps <= warmupSteps || peakLearningRate <= 0) {
            throw new IllegalArgumentException("need non-negative limits, scheduleSteps > warmupSteps and a positive learning rate");
        }
    }

    /**
     * The settings used for the shipped model, for a run directory; streams of 50 frames (0 would mean
     * the world's default: 50, or 400 in the history world), validation sizes from the world.
     */
    public static TrainingOptions defaults(Path runDir) {
        return new TrainingOptions(runDir, null, 0, 0, 16, 8, 0, 1.5e-3f, 1e-4f, 300, 30_000, 1.0f, 0.01f, 1,
                8, 10, 0, 0);
    }

    /** Frames a training stream lasts in {@code historyWorld} or not, when not set (0). */
    int streamFramesIn(boolean historyWorld) {
        return streamFrames > 0 ? streamFrames : historyWorld ? 400 : 50;
    }

    int validationStreamsIn(boolean historyWorld) {
        return validationStreams > 0 ? validationStreams : historyWorld ? 16 : 32;
    }

    int validationFramesIn(boolean historyWorld) {
        return validationFrames > 0 ? validationFrames : historyWorld ? 160 : 20;
    }
}
