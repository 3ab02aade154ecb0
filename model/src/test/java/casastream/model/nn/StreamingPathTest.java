package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.TinyModels;
import casastream.model.decode.WindowLayout;
import casastream.model.memory.MemoryBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Feeding a window token by token through the cache reproduces the one-chunk training graph. */
class StreamingPathTest {

    static Stream<Arguments> designs() {
        return Stream.of(
                Arguments.of(FusionLayout.PARALLEL, false, FusionContext.TEXT_AND_IMAGE, false, false),
                Arguments.of(FusionLayout.PARALLEL, true, FusionContext.IMAGE_ONLY, true, false),
                Arguments.of(FusionLayout.REPLACE_EVERY_N, false, FusionContext.TEXT_AND_IMAGE, false, false),
                Arguments.of(FusionLayout.PARALLEL, false, FusionContext.TEXT_AND_IMAGE, false, true));
    }

    @ParameterizedTest
    @MethodSource("designs")
    void tokenByTokenDecodingReproducesTrainingLogitsAndMemory(FusionLayout layout, boolean shared,
                                                                 FusionContext context, boolean imageFfn, boolean recurrent) {
        CasaConfig config = recurrent ? TinyModels.recurrent() : TinyModels.config(layout, shared, context, imageFfn);
        try (CasaModel model = CasaModel.create(config, 7); NDManager manager = model.manager().newSubManager()) {
            if (recurrent) {
                TinyModels.randomiseGistState(model, 3);
            }
            WindowLayout windows = new WindowLayout(config, model.tokenizer());
            WindowLayout.Window first = windows.teacherForced("a red circle", "a red circle entered", "is there a red circle ?", true);
            WindowLayout.Window second = windows.teacherForced("a red circle and a blue square",
                    "the red circle moved left ; a blue square entered", null, false);
            NDArray pixels = manager.randomUniform(-1, 1, new Shape(2, 3, config.imageSize(), config.imageSize()));
            NDArray images = model.vision().forward(pixels);
            NDArray frame1 = images.get("0:1");
            NDArray frame2 = images.get("1:2");
            CasaDecoder decoder = model.decoder();

            MemoryBatch memory = MemoryBatch.empty(manager, config, 1);
            WindowState one = decoder.beginFrame(frame1, memory, false);
            decoder.forward(one, row(manager, first.tokens()), row(manager, first.valid()), 0);
            memory = one.endFrame();

            WindowState whole = decoder.beginFrame(frame2, memory, false);
            NDArray wholeHidden = decoder.forward(whole, row(manager, second.tokens()), row(manager, second.valid()), 0);
            NDArray chunkLogits = decoder.logits(wholeHidden);
            MemoryBatch afterChunk = whole.endFrame();

            WindowState stepwise = decoder.beginFrame(frame2, memory, false);
            for (int position = 0; position < config.windowLength(); position++) {
                NDArray token = manager.create(new int[][] {{second.tokens()[position]}});
                NDArray valid = manager.create(new float[][] {{second.valid()[position]}});
                NDArray logits = decoder.logits(decoder.forward(stepwise, token, valid, position));
                if (second.valid()[position] > 0) {
                    float[] expected = chunkLogits.get(":, {}, :", position).toFloatArray();
                    assertThat(logits.toFloatArray()).as("logits at window position %d", position)
                            .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
            MemoryBatch afterSteps = stepwise.endFrame();
            for (int l = 0; l < config.selfAttentionLayers(); l++) {
                assertThat(afterSteps.keys(l).toFloatArray())
                        .containsExactly(afterChunk.keys(l).toFloatArray(), org.assertj.core.data.Offset.offset(1e-5f));
            }
            assertThat(afterSteps.valid().toFloatArray()).containsExactly(afterChunk.valid().toFloatArray());
            if (recurrent) {
                assertThat(afterSteps.gistState().toFloatArray())
                        .containsExactly(afterChunk.gistState().toFloatArray(), org.assertj.core.data.Offset.offset(1e-5f));
                // the gist state is the window's final gist hidden states, and the next frame reads it
                assertThat(afterChunk.gistState().toFloatArray()).containsExactly(
                        wholeHidden.get(":, 0:{}, :", config.gistTokens()).toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
                NDArray keepEntries = manager.ones(new Shape(1, config.memoryEntries()));
                NDArray kept = decoder.logits(decoder.forward(decoder.beginFrame(frame2,
                        memory.masked(keepEntries, manager.ones(new Shape(1, 1, 1))), false),
                        row(manager, second.tokens()), row(manager, second.valid()), 0));
                NDArray wiped = decoder.logits(decoder.forward(decoder.beginFrame(frame2,
                        memory.masked(keepEntries, manager.zeros(new Shape(1, 1, 1))), false),
                        row(manager, second.tokens()), row(manager, second.valid()), 0));
                assertThat(wiped.sub(kept).abs().max().getFloat()).as("logits change without the gist state").isGreaterThan(1e-3f);
            } else {
                assertThat(afterChunk.gistState()).isNull();
            }
        }
    }

    private static NDArray row(NDManager manager, int[] values) {
        return manager.create(new int[][] {values});
    }

    private static NDArray row(NDManager manager, float[] values) {
        return manager.create(new float[][] {values});
    }

}
