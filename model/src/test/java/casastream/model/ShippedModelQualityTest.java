package casastream.model;

import casastream.model.eval.MemoryAblation;
import casastream.model.eval.StreamingEvaluator;
import casastream.model.eval.metrics.Scores;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regression guard on the shipped model's quality: the streaming evaluator on a small set of
 * held-out test streams of its world (16 streams x 100 frames of the history world, the first test
 * seeds: long enough for "stayed", 30 frames, and "came back"), with floors a little under what the
 * shipped checkpoint scores there, so that a change to the model code, decoding, memory or checkpoint
 * that hurts the text fails the build. The full figures (200 x 1,000) are in model/README.md; this set
 * scores caption 0.991, event F1 0.978, yes/no 0.997, history F1 0.848, history yes/no 0.995 with the
 * shipped checkpoint (step 37,067), and history F1 0.079 without its past gist.
 */
class ShippedModelQualityTest {

    private static final int STREAMS = 16;
    private static final int FRAMES = 100;

    @Test
    void theShippedModelKeepsItsQualityOnHeldOutStreamsAndNeedsItsGistForHistory() {
        List<Long> seeds = LongStream.range(0, STREAMS).map(SeedRanges.TEST::seed).boxed().toList();
        Map<MemoryAblation, Scores> scores;
        try (CasaModel model = CasaModel.loadShipped()) {
            WorldConfig world = WorldConfig.forModel(model.config());
            assertThat(world.hasHistory()).as("the shipped model's world has history events").isTrue();
            scores = new StreamingEvaluator(model, world, STREAMS)
                    .evaluate(seeds, FRAMES, List.of(MemoryAblation.FULL, MemoryAblation.NO_GIST), done -> { });
        }
        Scores full = scores.get(MemoryAblation.FULL);
        Scores noGist = scores.get(MemoryAblation.NO_GIST);
        System.out.println("shipped model, " + STREAMS + " test streams x " + FRAMES + " frames: " + full.describe()
                + " | no_gist " + noGist.describe());

        assertThat(full.frames()).isEqualTo((long) STREAMS * FRAMES);
        assertThat(full.captionExactMatch()).as("caption exact match").isGreaterThanOrEqualTo(0.96);
        assertThat(full.eventF1()).as("event F1").isGreaterThanOrEqualTo(0.95);
        assertThat(full.yesnoAccuracy()).as("yes/no accuracy").isGreaterThanOrEqualTo(0.98);
        assertThat(full.historyF1()).as("history F1").isGreaterThanOrEqualTo(0.82);
        assertThat(full.historyF1() - noGist.historyF1()).as("history F1 lost without the gist").isGreaterThanOrEqualTo(0.6);
        assertThat(full.historyYesnoAccuracy()).as("history yes/no accuracy").isGreaterThanOrEqualTo(0.97);
    }
}
