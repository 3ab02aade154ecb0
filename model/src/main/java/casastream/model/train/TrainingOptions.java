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
 * @param streamFrames      frames a training stream lasts before its slot starts a new seed
 * @param peakLearningRate  after warm-up
 * @param floorLearningRate end of the cosine
 * @param warmupSteps       linear warm-up
 * @param scheduleSteps     length of the cosine and the probe curriculum, in global steps
 * @param clipNorm          global gradient norm clip
 * @param weightDecay       decoupled weight decay on matrices
 * @param seed              initialisation and question sampling seed
 * @param checkpointMinutes minutes between checkpoints
 * @param validateMinutes   minutes between streaming validations
 * @param validationStreams validation streams (from the validation seed range)
 * @param validationFrames  frames per validation stream
 */
public record TrainingOptions(Path runDir, String initFrom, long maxSteps, double maxMinutes, int batch, int frames,
                              int streamFrames, float peakLearningRate, float floorLearningRate, long warmupSteps,
                              long scheduleSteps, float clipNorm, float weightDecay, long seed, double checkpointMinutes,
                              double validateMinutes, int validationStreams, int validationFrames) {

    public TrainingOptions {
        if (runDir == null) {
            throw new IllegalArgumentException("a training run needs a run directory (--run DIR)");
        }
        if (batch < 1 || frames < 1 || streamFrames < frames) {
            throw new IllegalArgumentException("need batch >= 1, frames >= 1 and streamFrames >= frames, got batch " + batch
                    + ", frames " + frames + ", streamFrames " + streamFrames);
        }
        if (maxSteps < 0 || maxMinutes < 0 || scheduleSteps <= warmupSteps || peakLearningRate <= 0) {
            throw new IllegalArgumentException("need non-negative limits, scheduleSteps > warmupSteps and a positive learning rate");
        }
    }

    /** The settings used for the shipped model, for a run directory. */
    public static TrainingOptions defaults(Path runDir) {
        return new TrainingOptions(runDir, null, 0, 0, 16, 8, 50, 1.5e-3f, 1e-4f, 300, 30_000, 1.0f, 0.01f, 1,
                8, 10, 32, 20);
    }
}
