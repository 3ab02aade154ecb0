package casastream.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.TinyModels;
import casastream.model.decode.FrameText;
import casastream.model.decode.GreedyDecoder;
import casastream.model.eval.metrics.Scores;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.model.nn.NoGrad;
import casastream.model.text.WorldTokenizer;
import casastream.model.world.WorldConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingEvaluatorTest {

    private static final List<Long> SEEDS = List.of(850_000L, 850_001L);

    @Test
    void aHistoryModelIsJudgedPerWindowWithEveryAblationAndAFixedMemorySize() throws Exception {
        CasaConfig config = TinyModels.config().forHistory(WorldTokenizer.history());
        try (CasaModel model = CasaModel.create(config, 11)) {
            TinyModels.randomiseGistState(model, 5);
            WorldConfig world = WorldConfig.forVocabulary(model.tokenizer()).scaledTo(16, 16);
            assertThat(world.hasHistory()).isTrue();
            StreamingEvaluator.Result result = new StreamingEvaluator(model, world, 2)
                    .evaluate(SEEDS, 12, 5, List.of(MemoryAblation.values()), done -> { });
            assertThat(result.scores()).containsOnlyKeys(MemoryAblation.values());
            assertThat(result.scores().values()).allMatch(Scores::history).allMatch(s -> s.frames() == 24);
            assertThat(result.windows()).containsOnlyKeys("1-5", "8-12");
            result.windows().values().forEach(perAblation -> {
                assertThat(perAblation).containsOnlyKeys(MemoryAblation.values());
                assertThat(perAblation.values()).allMatch(s -> s.frames() == 10);
            });
            assertThat(result.memoryBytes()).containsOnlyKeys(1, 12).containsValues(StreamMemory.byteSize(config));

            JsonNode json = new ObjectMapper().readTree(EvaluationReport.of("tiny", "850000-850001", 2, 12, 1.0, result).json());
            for (String key : new String[] {"history_f1", "history_precision", "history_recall", "history_yesno_accuracy",
                    "event_f1", "motion_f1"}) {
                assertThat(json.path(key).isNumber()).as(key).isTrue();
                assertThat(json.path("no_image").path(key).isNumber()).as("no_image " + key).isTrue();
                assertThat(json.path("windows").path("8-12").path("no_gist").path(key).isNumber()).as("window " + key).isTrue();
            }
            assertThat(json.path("windows").path("1-5").path("frames").asLong()).isEqualTo(10);
            assertThat(json.path("memory_bytes").path("12").asInt()).isEqualTo(StreamMemory.byteSize(config));
        }
    }

    @Test
    void windowsAreTheFirstAndTheLastFramesAndTheSizeIsCheckedAtFrameHundred() {
        assertThat(StreamingEvaluator.windows(10_000, 50)).containsOnlyKeys("1-50", "9951-10000");
        assertThat(StreamingEvaluator.windows(30, 50)).containsOnlyKeys("1-30");
        assertThat(StreamingEvaluator.windows(30, 0)).isEmpty();
        try (CasaModel model = CasaModel.create(TinyModels.config(), 3)) {
            StreamingEvaluator.Result result = new StreamingEvaluator(model, WorldConfig.defaults().scaledTo(16, 16), 1)
                    .evaluate(List.of(850_000L), 101, 0, List.of(MemoryAblation.FULL), done -> { });
            assertThat(result.memoryBytes()).containsOnlyKeys(1, 100, 101);
            assertThat(result.scores().get(MemoryAblation.FULL).asMetrics()).doesNotContainKey("history_f1");
        }
    }

    @Test
    void hiddenImageTokensChangeNothingTheModelWrites() {
        CasaConfig config = TinyModels.config();
        try (CasaModel model = CasaModel.create(config, 4); NoGrad ignored = NoGrad.enter();
             NDManager manager = model.manager().newSubManager()) {
            GreedyDecoder decoder = new GreedyDecoder(model);
            NDArray pixels = manager.randomUniform(-1, 1, new Shape(2, 3, config.imageSize(), config.imageSize()));
            NDArray images = model.vision().forward(pixels);
            NDArray hidden = manager.zeros(new Shape(2, config.imageTokens()));
            List<List<String>> questions = List.of(List.of("is there a red circle ?"), List.of("is there a red circle ?"));
            List<FrameText> masked = decoder.decode(manager, images, hidden, MemoryBatch.empty(manager, config, 2), questions).texts();
            List<FrameText> zeros = decoder.decode(manager, images.mul(0), hidden, MemoryBatch.empty(manager, config, 2), questions).texts();
            assertThat(masked).isEqualTo(zeros);
            assertThat(masked.get(0)).isEqualTo(masked.get(1));
            Map<String, Boolean> answers = masked.get(0).answers();
            assertThat(answers).containsOnlyKeys("is there a red circle ?");
        }
    }
}
