package casastream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.ModelFormatException;
import casastream.model.TinyModels;
import casastream.model.decode.WindowLayout;
import casastream.model.memory.MemoryBatch;
import casastream.model.nn.WindowState;
import casastream.model.text.WorldTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelGrowthTest {

    @Test
    void aGrownModelFirstWritesExactlyWhatItsOriginDid() {
        CasaConfig base = TinyModels.config();
        CasaConfig history = base.forHistory(WorldTokenizer.history());
        List<String> report = new ArrayList<>();
        try (CasaModel origin = CasaModel.create(base, 8); CasaModel grown = ModelGrowth.grow(origin, history, 9, report::add)) {
            assertThat(grown.config()).isEqualTo(history);
            assertThat(report).singleElement().asString().contains("decoder.gist_state.weight").contains("9 new words");
            float[] before = logitsOverTwoFrames(origin);
            float[] after = logitsOverTwoFrames(grown);
            assertThat(after).containsExactly(before, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    /** Logits of the old vocabulary over the gist and caption segments of a second frame (which reads the first's memory). */
    private static float[] logitsOverTwoFrames(CasaModel model) {
        CasaConfig config = model.config();
        int oldWords = WorldTokenizer.instance().vocabSize();
        try (NDManager manager = model.manager().newSubManager()) {
            WindowLayout layout = new WindowLayout(config, model.tokenizer());
            WindowLayout.Window window = layout.teacherForced("a red circle", "a red circle entered", null, false);
            NDArray pixels = manager.create(sinPixels(config), new Shape(1, 3, config.imageSize(), config.imageSize()));
            NDArray images = model.vision().forward(pixels);
            MemoryBatch memory = MemoryBatch.empty(manager, config, 1);
            NDArray logits = null;
            int ring = config.gistTokens() + config.textTail();
            for (int frame = 0; frame < 2; frame++) {
                WindowState state = model.decoder().beginFrame(images, memory, false);
                NDArray hidden = model.decoder().forward(state, manager.create(new int[][] {java.util.Arrays.copyOf(window.tokens(), ring)}),
                        manager.create(new float[][] {java.util.Arrays.copyOf(window.valid(), ring)}), 0);
                logits = model.decoder().logits(hidden).get(":, :, 0:{}", oldWords);
                memory = state.endFrame();
            }
            return logits.toFloatArray();
        }
    }

    private static float[] sinPixels(CasaConfig config) {
        float[] pixels = new float[3 * config.imageSize() * config.imageSize()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Math.sin(i * 0.37);
        }
        return pixels;
    }

    @Test
    void onlyTheVocabularyTheEventsSegmentAndRecurrenceMayGrow() {
        CasaConfig base = TinyModels.config();
        CasaConfig wider = new CasaConfig(base.formatVersion(), base.imageSize(), base.patchSize(), base.stemChannels(), 64,
                base.heads(), base.decoderLayers(), base.visionLayers(), base.ffnMultiplier(), base.fusionLayout(),
                base.fusionEvery(), base.sharedFusionProjections(), base.fusionContext(), base.imageTokenFfn(),
                base.gistTokens(), base.gistHistory(), base.textTail(), base.eventTokens(), base.questionTokens(),
                base.vocabSize(), base.tokenizer(), base.memoryPrecision(), base.ropeBase());
        try (CasaModel origin = CasaModel.create(base, 8)) {
            assertThatThrownBy(() -> ModelGrowth.grow(origin, wider, 1, line -> { }))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("cannot grow");
        }
    }
}
