package casastream.model.world;

import java.util.List;

/**
 * Which stream seeds serve which purpose. The ranges are disjoint, so no validation or test stream
 * is ever seen in training; seeds from {@link #RESERVED_FROM} up are kept for independent
 * evaluation and must never be used to train or tune.
 */
public final class SeedRanges {

    /** Seeds from here on are reserved for independent evaluation. */
    public static final long RESERVED_FROM = 900_000;

    public static final SeedRange TRAIN = new SeedRange("train", 0, 800_000);
    public static final SeedRange VALIDATION = new SeedRange("validation", 800_000, 850_000);
    public static final SeedRange TEST = new SeedRange("test", 850_000, RESERVED_FROM);
    public static final SeedRange RESERVED = new SeedRange("reserved", RESERVED_FROM, Long.MAX_VALUE);

    private SeedRanges() {
    }

    /** All ranges, in seed order. */
    public static List<SeedRange> all() {
        return List.of(TRAIN, VALIDATION, TEST, RESERVED);
    }

    /** The range a seed belongs to. */
    public static SeedRange rangeOf(long seed) {
        for (SeedRange range : all()) {
            if (range.contains(seed)) {
                return range;
            }
        }
        throw new IllegalArgumentException("seed " + seed + " is negative: stream seeds start at 0");
    }

    /**
     * Returns {@code seed} if it may be trained on, and otherwise throws, naming the range it
     * strayed into: training on validation, test or reserved streams would make their scores lie.
     */
    public static long requireTraining(long seed) {
        return require(TRAIN, seed);
    }

    /** Returns {@code seed} if it is a validation seed (for tuning and early stopping), otherwise throws. */
    public static long requireValidation(long seed) {
        return require(VALIDATION, seed);
    }

    private static long require(SeedRange wanted, long seed) {
        SeedRange actual = rangeOf(seed);
        if (actual != wanted) {
            throw new IllegalArgumentException("seed " + seed + " belongs to the " + actual + " range, not to " + wanted
                    + ": pick " + wanted.name() + " seeds from " + wanted.first() + " to " + (wanted.end() - 1));
        }
        return seed;
    }
}
