package casastream.model.train;

import casastream.model.world.SeedRange;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSamplerTest {

    @Test
    void theTrainerDrawsOnlyTrainingSeeds() {
        for (SeedRange heldOut : List.of(SeedRanges.VALIDATION, SeedRanges.TEST, SeedRanges.RESERVED)) {
            StreamSampler sampler = new StreamSampler(WorldConfig.defaults(), heldOut, 2, 10, 0);
            assertThatThrownBy(sampler::next).as("drawing from %s", heldOut)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("belongs to the " + heldOut + " range, not to " + SeedRanges.TRAIN);
        }
    }

    @Test
    void aRangeThatStraysPastTheTrainingSeedsStopsAtTheFirstHeldOutSeed() {
        long last = SeedRanges.TRAIN.end() - 1;
        StreamSampler sampler = new StreamSampler(WorldConfig.defaults(), new SeedRange("straddling", last - 1, last + 3), 1, 1, 0);
        sampler.next();
        sampler.next();
        assertThat(sampler.cursor()).isEqualTo(2);
        assertThatThrownBy(sampler::next).hasMessageContaining("seed " + (last + 1) + " belongs to the validation");
        assertThat(sampler.cursor()).as("the held-out stream was never started").isEqualTo(2);
    }

    @Test
    void aResumedCursorWrapsInsideTheTrainingSeeds() {
        StreamSampler sampler = new StreamSampler(WorldConfig.defaults(), SeedRanges.TRAIN, 1, 1, SeedRanges.TRAIN.size() - 1);
        sampler.next();
        sampler.next();
        assertThat(sampler.cursor()).isEqualTo(SeedRanges.TRAIN.size() + 1);
    }

    @Test
    void staggeredSlotsStartTheirFirstStreamsShortSoThatStreamsOfAStepHaveDifferentAges() {
        StreamSampler sampler = new StreamSampler(WorldConfig.historyWorld(), SeedRanges.TRAIN, 4, 8, 0, true);
        int[] restarts = new int[4];
        for (int f = 0; f < 24; f++) {
            boolean[] fresh = sampler.next().fresh();
            for (int b = 0; b < 4; b++) {
                if (fresh[b] && f > 0) {
                    restarts[b]++;
                    assertThat((f - 2 * (b + 1)) % 8).as("slot %d restarts at frame %d", b, f).isZero();
                }
            }
        }
        // first streams of 2, 4, 6 and 8 frames, then 8 each
        assertThat(restarts).containsExactly(3, 3, 3, 2);
    }
}
