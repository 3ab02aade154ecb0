package casastream.model.world;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedRangesTest {

    @Test
    void rangesAreDisjointAndLeaveTheReservedSeedsAlone() {
        List<SeedRange> ranges = SeedRanges.all();
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                assertThat(ranges.get(i).overlaps(ranges.get(j))).as("%s vs %s", ranges.get(i), ranges.get(j)).isFalse();
            }
        }
        for (SeedRange used : List.of(SeedRanges.TRAIN, SeedRanges.VALIDATION, SeedRanges.TEST)) {
            assertThat(used.end()).isLessThanOrEqualTo(SeedRanges.RESERVED_FROM);
        }
        assertThat(SeedRanges.RESERVED_FROM).isEqualTo(900_000);
        assertThat(SeedRanges.rangeOf(900_000)).isEqualTo(SeedRanges.RESERVED);
    }

    @Test
    void trainingSeedsPass() {
        assertThat(SeedRanges.requireTraining(0)).isZero();
        assertThat(SeedRanges.requireTraining(SeedRanges.TRAIN.end() - 1)).isEqualTo(SeedRanges.TRAIN.end() - 1);
        assertThat(SeedRanges.requireValidation(SeedRanges.VALIDATION.first())).isEqualTo(SeedRanges.VALIDATION.first());
    }

    @Test
    void aTrainingSeedStrayingIntoHeldOutRangesIsRefusedWithTheRangeNamed() {
        assertThatThrownBy(() -> SeedRanges.requireTraining(SeedRanges.VALIDATION.first()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation");
        assertThatThrownBy(() -> SeedRanges.requireTraining(SeedRanges.TEST.first() + 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test");
        assertThatThrownBy(() -> SeedRanges.requireTraining(900_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SeedRanges.requireValidation(950_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SeedRanges.requireTraining(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void offsetsStayInsideTheirRange() {
        assertThat(SeedRanges.TEST.seed(0)).isEqualTo(SeedRanges.TEST.first());
        assertThatThrownBy(() -> SeedRanges.TEST.seed(SeedRanges.TEST.size()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test");
    }
}
