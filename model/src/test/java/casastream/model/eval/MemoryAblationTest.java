package casastream.model.eval;

import casastream.model.CasaConfig;
import casastream.model.TinyModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryAblationTest {

    private final CasaConfig config = TinyModels.config();
    private final int gist = config.gistHistory() * config.gistTokens();

    @Test
    void noGistHidesThePastGistEntriesAndKeepsTheCaptionTail() {
        float[] keep = MemoryAblation.NO_GIST.keepMask(config);
        assertThat(keep).hasSize(config.memoryEntries());
        for (int e = 0; e < keep.length; e++) {
            assertThat(keep[e]).as("entry %d", e).isEqualTo(e < gist ? 0f : 1f);
        }
    }

    @Test
    void noImageKeepsTheMemoryAndHidesTheImageOnly() {
        assertThat(MemoryAblation.NO_IMAGE.keepMask(config)).containsOnly(1f);
        assertThat(MemoryAblation.NO_IMAGE.keepGistState()).isEqualTo(1f);
        assertThat(MemoryAblation.NO_IMAGE.hidesImage()).isTrue();
        assertThat(MemoryAblation.NO_IMAGE.key()).isEqualTo("no_image");
        for (MemoryAblation a : new MemoryAblation[] {MemoryAblation.FULL, MemoryAblation.NO_MEMORY, MemoryAblation.NO_GIST}) {
            assertThat(a.hidesImage()).as(a.key()).isFalse();
        }
    }

    @Test
    void theGistStateIsGistMemory() {
        assertThat(MemoryAblation.FULL.keepGistState()).isEqualTo(1f);
        assertThat(MemoryAblation.NO_GIST.keepGistState()).isZero();
        assertThat(MemoryAblation.NO_MEMORY.keepGistState()).isZero();
    }

    @Test
    void noMemoryHidesEverythingAndFullHidesNothing() {
        assertThat(MemoryAblation.NO_MEMORY.keepMask(config)).containsOnly(0f);
        assertThat(MemoryAblation.FULL.keepMask(config)).containsOnly(1f);
    }
}
