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
 * held-out test streams (24 streams x 20 frames, the first test seeds), with floors a little under
 * what the shipped checkpoint scores there, so that a change to the model code, decoding, memory
 * or checkpoint that hurts the text fails the build. The full figures (200 x 50) are in
 * model/README.md; this set scores caption 0.944, event F1 0.934, yes/no 0.986 with the shipped
 * checkpoint (and event F1 0.000 without its memory).
 */
class ShippedModelQualityTest {

    private static final int STREAMS = 24;
    private static final int FRAMES = 20;

    @Test
    void theShippedModelKeepsItsQualityOnHeldOutStreamsAndNeedsItsMemoryForEvents() {
        List<Long> seeds = LongStream.range(0, STREAMS).map(SeedRanges.TEST::seed).boxed().toList();
        Map<MemoryAblation, Scores> scores;
        try (CasaModel model = CasaModel.loadShipped()) {
            scores = new StreamingEvaluator(model, WorldConfig.defaults(), STREAMS)
                    .evaluate(seeds, FRAMES, List.of(MemoryAblation.FULL, MemoryAblation.NO_MEMORY), done -> { });
        }
        Scores full = scores.get(MemoryAblation.FULL);
        Scores noMemory = scores.get(MemoryAblation.NO_MEMORY);
        System.out.println("shipped model, " + STREAMS + " test streams x " + FRAMES + " frames: " + full.describe()
                + " | no_memory " + noMemory.describe());

        assertThat(full.frames()).isEqualTo((long) STREAMS * FRAMES);
        assertThat(full.captionExactMatch()).as("caption exact match").isGreaterThanOrEqualTo(0.92);
        assertThat(full.eventF1()).as("event F1").isGreaterThanOrEqualTo(0.90);
        assertThat(full.yesnoAccuracy()).as("yes/no accuracy").isGreaterThanOrEqualTo(0.96);
        assertThat(full.eventF1() - noMemory.eventF1()).as("event F1 lost without the memory").isGreaterThanOrEqualTo(0.5);
    }
}
