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
    void theShippedModelLoadsFromTheClasspathAndServesAWorldFrame() {
        try (CasaModel model = CasaModel.loadShipped()) {
            assertThat(model.config()).isEqualTo(CasaConfig.defaults(WorldTokenizer.instance()));
            WorldFrame frame = new CameraWorld(WorldConfig.defaults(), SeedRanges.TEST.seed(0)).next();
            List<String> questions = frame.questions().stream().map(YesNo::question).toList();
            StreamOutput out = new CasaInference(model).step(List.of(new StreamInput(null, frame.rgb(), questions))).get(0);
            assertThat(out.answers()).containsOnlyKeys(questions.toArray(String[]::new));
            assertThat(out.memory()).hasSize(StreamMemory.byteSize(model.config()));
        }
    }

    @Test
    void theShippedModelKeepsItsDesignItsWorldAndItsMemoryFingerprint() {
        try (CasaModel model = CasaModel.loadShipped()) {
            // its config.json predates gist recurrence: the field reads as off, and the fingerprint that memories
            // kept by running jobs carry is unchanged
            assertThat(model.config().gistRecurrence()).isFalse();
            assertThat(model.config().fingerprint()).isEqualTo(0x6eee76ea1b5f6760L);
            assertThat(model.tokenizer()).isSameAs(WorldTokenizer.instance());
            assertThat(WorldConfig.forVocabulary(model.tokenizer())).isEqualTo(WorldConfig.defaults());
            assertThat(StreamMemory.byteSize(model.config())).isEqualTo(82_017);
        }
    }
}
