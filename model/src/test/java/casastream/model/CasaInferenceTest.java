package casastream.model;

import casastream.model.memory.MemoryFormatException;
import casastream.model.memory.StreamMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasaInferenceTest {

    private static CasaModel model;

    @BeforeAll
    static void load() {
        model = CasaModel.create(TinyModels.config(), 21);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void everyStreamGetsTextAnswersAndAFixedSizeMemory() {
        CasaInference inference = new CasaInference(model);
        byte[] rgb = new byte[model.config().imageSize() * model.config().imageSize() * 3];
        List<StreamOutput> outputs = inference.step(List.of(
                new StreamInput(null, rgb, List.of("is there a red circle ?", "is the scene empty ?")),
                new StreamInput(null, rgb, List.of())));
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(0).answers()).containsOnlyKeys("is there a red circle ?", "is the scene empty ?");
        assertThat(outputs.get(1).answers()).isEmpty();
        assertThat(outputs).allSatisfy(o -> {
            assertThat(o.memory()).hasSize(StreamMemory.byteSize(model.config()));
            assertThat(o.frames()).isEqualTo(1);
            assertThat(o.caption()).isNotNull();
            assertThat(o.events()).isNotNull();
        });
    }

    @Test
    void aFrameOfTheWrongSizeIsAClearError() {
        CasaInference inference = new CasaInference(model);
        assertThatThrownBy(() -> inference.step(List.of(new StreamInput(null, new byte[10], List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resize it");
    }

    @Test
    void memoryOfAnotherModelIsAClearError() {
        CasaInference inference = new CasaInference(model);
        byte[] rgb = new byte[model.config().imageSize() * model.config().imageSize() * 3];
        assertThatThrownBy(() -> inference.step(List.of(new StreamInput(new byte[64], rgb, List.of()))))
                .isInstanceOf(MemoryFormatException.class);
    }
}
