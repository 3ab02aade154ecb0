package casastream.model;

import casastream.model.memory.StreamMemory;
import casastream.model.text.WorldTokenizer;
import casastream.model.world.CameraWorld;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShippedModelTest {

    @Test
    void theShippedModelLoadsFromTheClasspathAndServesAFrameOfItsWorld() {
        try (CasaModel model = CasaModel.loadShipped()) {
            WorldConfig world = WorldConfig.forModel(model.config());
            WorldFrame frame = new CameraWorld(world, SeedRanges.TEST.seed(0)).next();
            List<String> questions = frame.questions().stream().map(YesNo::question).toList();
            StreamOutput out = new CasaInference(model).step(List.of(new StreamInput(null, frame.rgb(), questions))).get(0);
            assertThat(out.answers()).containsOnlyKeys(questions.toArray(String[]::new));
            assertThat(out.memory()).hasSize(StreamMemory.byteSize(model.config()));
        }
    }

    @Test
    void theShippedModelIsTheHistoryDesignOfTheDefaultsWithItsFixedMemorySize() {
        try (CasaModel model = CasaModel.loadShipped()) {
            // the frame-to-frame design grown into the history world: the history tokenizer, a longer events
            // segment and gist recurrence; k = 12 gist tokens and H = 2 frames of gist history as before
            assertThat(model.config()).isEqualTo(CasaConfig.defaults(WorldTokenizer.instance()).forHistory(WorldTokenizer.history()));
            assertThat(model.config().gistRecurrence()).isTrue();
            assertThat(model.tokenizer()).isSameAs(WorldTokenizer.history());
            assertThat(WorldConfig.forModel(model.config())).isEqualTo(WorldConfig.historyWorld());
            // memories kept by jobs that ran the frame-to-frame model carry another fingerprint: they are refused
            assertThat(model.config().fingerprint()).isNotEqualTo(0x6eee76ea1b5f6760L);
            // 40 ring entries + the gist state + the last texts' ids, at most 2x the 81,949 bytes of the
            // frame-to-frame memory
            assertThat(StreamMemory.byteSize(model.config())).isEqualTo(85_097);
        }
    }
}
