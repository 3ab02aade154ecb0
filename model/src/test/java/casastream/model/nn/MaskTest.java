package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.TinyModels;
import casastream.model.decode.WindowLayout;
import casastream.model.memory.MemoryBatch;
import casastream.model.text.Special;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a token may see: nothing later in its window, no pad, and (through the memory) no earlier frame's events or answers. */
class MaskTest {

    private static CasaModel model;
    private static CasaConfig config;
    private static WindowLayout layout;

    @BeforeAll
    static void load() {
        config = TinyModels.config();
        model = CasaModel.create(config, 3);
        layout = new WindowLayout(config, model.tokenizer());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aTokenNeverSeesLaterTokensOfItsWindow() {
        WindowLayout.Window window = layout.teacherForced("a red circle", "a red circle entered", "is there a red circle ?", true);
        int changed = config.eventsStart() + 2;
        int[] altered = window.tokens().clone();
        altered[changed] = model.tokenizer().encode("blue")[0];
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray images = images(manager, 1);
            float[] before = logits(manager, images, window.tokens(), window.valid());
            float[] after = logits(manager, images, altered, window.valid());
            int v = config.vocabSize();
            for (int position = 0; position < config.windowLength(); position++) {
                float[] a = java.util.Arrays.copyOfRange(before, position * v, (position + 1) * v);
                float[] b = java.util.Arrays.copyOfRange(after, position * v, (position + 1) * v);
                if (position < changed) {
                    assertThat(b).as("position %d before the change", position).containsExactly(a);
                } else {
                    assertThat(b).as("position %d at or after the change", position).isNotEqualTo(a);
                }
            }
        }
    }

    @Test
    void padsAreInvisible() {
        WindowLayout.Window window = layout.teacherForced("nothing", "none", null, false);
        int[] altered = window.tokens().clone();
        for (int i = 0; i < altered.length; i++) {
            if (window.valid()[i] == 0f) {
                altered[i] = model.tokenizer().id(Special.QUESTION);
            }
        }
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray images = images(manager, 1);
            float[] before = logits(manager, images, window.tokens(), window.valid());
            float[] after = logits(manager, images, altered, window.valid());
            int v = config.vocabSize();
            for (int position = 0; position < config.windowLength(); position++) {
                if (window.valid()[position] > 0) {
                    assertThat(java.util.Arrays.copyOfRange(after, position * v, (position + 1) * v))
                            .containsExactly(java.util.Arrays.copyOfRange(before, position * v, (position + 1) * v));
                }
            }
        }
    }

    @Test
    void eventsAndAnswersNeverReachTheMemory() {
        WindowLayout.Window one = layout.teacherForced("a red circle", "the red circle moved left", "is there a red circle ?", true);
        WindowLayout.Window other = layout.teacherForced("a red circle", "none", "is there a blue square ?", false);
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray images = images(manager, 1);
            MemoryBatch first = memoryAfter(manager, images, one);
            MemoryBatch second = memoryAfter(manager, images, other);
            for (int l = 0; l < config.selfAttentionLayers(); l++) {
                assertThat(second.keys(l).toFloatArray()).containsExactly(first.keys(l).toFloatArray());
                assertThat(second.values(l).toFloatArray()).containsExactly(first.values(l).toFloatArray());
            }
        }
    }

    @Test
    void streamsInOneBatchNeverSeeEachOthersFrames() {
        WindowLayout.Window window = layout.teacherForced("a red circle", "none", null, false);
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray images = images(manager, 2);
            MemoryBatch memory = MemoryBatch.empty(manager, config, 1);
            WindowState frame = model.decoder().beginFrame(images.get("0:1"), memory, false);
            float[] alone = model.decoder().logits(model.decoder().forward(frame, row(manager, window.tokens()),
                    row(manager, window.valid()), 0)).toFloatArray();
            // the same frame batched with another stream's frame gives the same logits: rows never mix
            WindowState pair = model.decoder().beginFrame(images, MemoryBatch.empty(manager, config, 2), false);
            NDArray both = model.decoder().logits(model.decoder().forward(pair,
                    manager.create(new int[][] {window.tokens(), window.tokens()}),
                    manager.create(new float[][] {window.valid(), window.valid()}), 0));
            assertThat(both.get("0").toFloatArray()).containsExactly(alone, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    private static NDArray images(NDManager manager, int batch) {
        manager.getEngine().setRandomSeed(11);
        NDArray pixels = manager.randomUniform(-1, 1, new Shape(batch, 3, config.imageSize(), config.imageSize()));
        return model.vision().forward(pixels);
    }

    private static float[] logits(NDManager manager, NDArray images, int[] tokens, float[] valid) {
        WindowState state = model.decoder().beginFrame(images, MemoryBatch.empty(manager, config, 1), false);
        return model.decoder().logits(model.decoder().forward(state, row(manager, tokens), row(manager, valid), 0)).toFloatArray();
    }

    private static MemoryBatch memoryAfter(NDManager manager, NDArray images, WindowLayout.Window window) {
        WindowState state = model.decoder().beginFrame(images, MemoryBatch.empty(manager, config, 1), false);
        model.decoder().forward(state, row(manager, window.tokens()), row(manager, window.valid()), 0);
        return state.endFrame();
    }

    private static NDArray row(NDManager manager, int[] values) {
        return manager.create(new int[][] {values});
    }

    private static NDArray row(NDManager manager, float[] values) {
        return manager.create(new float[][] {values});
    }
}
