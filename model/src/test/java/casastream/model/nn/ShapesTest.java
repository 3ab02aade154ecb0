package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.TinyModels;
import casastream.model.decode.WindowLayout;
import casastream.model.memory.MemoryBatch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShapesTest {

    @Test
    void everyBlockKeepsTheDocumentedShapes() {
        CasaConfig config = TinyModels.config();
        int batch = 3;
        try (CasaModel model = CasaModel.create(config, 1); NDManager manager = model.manager().newSubManager()) {
            NDArray pixels = manager.randomUniform(-1, 1, new Shape(batch, 3, config.imageSize(), config.imageSize()));
            NDArray images = model.vision().forward(pixels);
            assertThat(images.getShape()).isEqualTo(new Shape(batch, config.imageTokens(), config.width()));

            MemoryBatch memory = MemoryBatch.empty(manager, config, batch);
            WindowState state = model.decoder().beginFrame(images, memory, true);
            WindowLayout.Window window = new WindowLayout(config, model.tokenizer()).teacherForced("nothing", "none", null, false);
            int[][] tokens = {window.tokens(), window.tokens(), window.tokens()};
            float[][] valid = {window.valid(), window.valid(), window.valid()};
            NDArray hidden = model.decoder().forward(state, manager.create(tokens), manager.create(valid), 0);
            assertThat(hidden.getShape()).isEqualTo(new Shape(batch, config.windowLength(), config.width()));
            assertThat(state.layerOutputs()).hasSize(config.decoderLayers())
                    .allSatisfy(h -> assertThat(h.getShape()).isEqualTo(hidden.getShape()));
            assertThat(model.decoder().logits(hidden).getShape())
                    .isEqualTo(new Shape(batch, config.windowLength(), config.vocabSize()));

            MemoryBatch next = state.endFrame();
            Shape memoryShape = new Shape(batch, config.heads(), config.memoryEntries(), config.headDim());
            for (int l = 0; l < config.selfAttentionLayers(); l++) {
                assertThat(next.keys(l).getShape()).isEqualTo(memoryShape);
                assertThat(next.values(l).getShape()).isEqualTo(memoryShape);
            }
            assertThat(next.valid().getShape()).isEqualTo(new Shape(batch, config.memoryEntries()));
            assertThat(next.frames()).containsExactly(1, 1, 1);
        }
    }
}
