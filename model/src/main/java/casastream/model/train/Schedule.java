package casastream.model.train;

/**
 * Learning rate (linear warm-up, then cosine down to a floor) and the curriculum's probe weight
 * (1.0 for the first 40% of the schedule, fading linearly to 0.3 by 60%), both by global step.
 */
record Schedule(float peakLearningRate, float floorLearningRate, long warmupSteps, long totalSteps) {

    private static final float PROBE_FULL = 1.0f;
    private static final float PROBE_FLOOR = 0.3f;

    float learningRate(long step) {
        if (step < warmupSteps) {
            return peakLearningRate * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return (float) (floorLearningRate + (peakLearningRate - floorLearningRate) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    float probeWeight(long step) {
        double progress = (double) step / totalSteps;
        if (progress <= 0.4) {
            return PROBE_FULL;
        }
        double fade = Math.min(1.0, (progress - 0.4) / 0.2);
        return (float) (PROBE_FULL + (PROBE_FLOOR - PROBE_FULL) * fade);
    }
}
