package casastream.model.train;

import ai.djl.ndarray.NDManager;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.decode.WindowLayout;
import casastream.model.text.WorldText;
import casastream.model.text.WorldTokenizer;
import casastream.model.world.CameraWorld;
import casastream.model.world.ObjectType;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameBatchTest {

    @Test
    void historyDecisionsWeighTheirEventsAndHistoryAnswersMore() {
        WorldTokenizer tokenizer = WorldTokenizer.history();
        CasaConfig config = new CasaConfig(CasaConfig.FORMAT_VERSION, 64, 16, 4, 32, 2, 2, 1, 2, FusionLayout.PARALLEL, 2,
                false, FusionContext.TEXT_AND_IMAGE, false, ObjectType.COUNT, 2, 16, 20, 12, tokenizer.vocabSize(),
                tokenizer.name(), MemoryPrecision.FP32, 10_000);
        WorldConfig world = WorldConfig.historyWorld();
        WorldFrame stayed = null;
        WorldFrame quiet = null;
        WorldFrame borderline = null;
        for (long seed = 1; seed < 200 && (stayed == null || quiet == null || borderline == null); seed++) {
            for (WorldFrame frame : new CameraWorld(world, seed).next(120)) {
                boolean history = frame.events().stream().anyMatch(WorldText::isHistoryEvent);
                boolean edge = frame.presenceBorderline(FrameBatch.BORDERLINE_MARGIN);
                if (stayed == null && history && !edge && frame.events().stream().anyMatch(e -> e.endsWith("stayed"))) {
                    stayed = frame;
                }
                if (quiet == null && !edge && !FrameBatch.historyDecision(frame, world.history())) {
                    quiet = frame;
                }
                if (borderline == null && edge && !FrameBatch.historyDecision(frame, world.history())) {
                    borderline = frame;
                }
            }
        }
        assertThat(stayed).as("a frame with a stayed event").isNotNull();
        assertThat(quiet).as("a frame far from any history decision").isNotNull();
        assertThat(borderline).as("a frame with an object near the presence threshold").isNotNull();
        assertThat(FrameBatch.historyDecision(stayed, world.history())).isTrue();
        try (CasaModel model = CasaModel.create(config, 3); NDManager manager = model.manager().newSubManager()) {
            WindowLayout layout = new WindowLayout(config, model.tokenizer());
            FrameBatch batch = FrameBatch.of(manager, config, model.vision(), layout, List.of(stayed, quiet, borderline),
                    new Random(1), world.history());
            float[] weights = batch.targetMask().toFloatArray();
            int w = config.windowLength();
            int events = config.eventsStart();
            assertThat(weights[events]).as("first events target of the stayed frame").isEqualTo(FrameBatch.HISTORY_WEIGHT);
            assertThat(weights[w + events]).as("first events target of a frame without a history decision").isEqualTo(1f);
            assertThat(weights[config.captionStart()]).as("caption targets keep weight 1").isEqualTo(1f);
            assertThat(weights[w + events + config.eventTokens() - 1]).as("no loss past the events' EOS").isZero();
            assertThat(weights[2 * w + config.captionStart()]).as("caption of a borderline frame")
                    .isEqualTo(FrameBatch.BORDERLINE_WEIGHT);
            assertThat(weights[2 * w + events]).as("events of a borderline frame").isEqualTo(FrameBatch.BORDERLINE_WEIGHT);
        }
    }
}
