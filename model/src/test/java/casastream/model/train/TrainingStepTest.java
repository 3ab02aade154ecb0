package casastream.model.train;

import ai.djl.ndarray.NDManager;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.memory.MemoryBatch;
import casastream.model.nn.Parameters;
import casastream.model.text.WorldTokenizer;
import casastream.model.world.ObjectType;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingStepTest {

    /** 64x64 world frames, 16 image tokens, width 32, one gist slot per object type so the probes train too. */
    private static CasaConfig smallWorldConfig() {
        WorldTokenizer tokenizer = WorldTokenizer.instance();
        return new CasaConfig(CasaConfig.FORMAT_VERSION, 64, 16, 4, 32, 2, 2, 1, 2, FusionLayout.PARALLEL, 2, false,
                FusionContext.TEXT_AND_IMAGE, false, ObjectType.COUNT, 2, 16, 20, 12, tokenizer.vocabSize(), tokenizer.name(),
                MemoryPrecision.FP32, 10_000);
    }

    @Test
    void aShortTrainingRunLowersTheLoss() {
        CasaConfig config = smallWorldConfig();
        try (CasaModel model = CasaModel.create(config, 4)) {
            Parameters probeParameters = new Parameters(model.manager(), 5);
            GistProbes probes = new GistProbes(probeParameters, config.width(), config.decoderLayers());
            Map<String, ai.djl.ndarray.NDArray> trainable = new LinkedHashMap<>(model.parameters().all());
            trainable.putAll(probeParameters.all());
            Adam adam = new Adam(model.manager(), trainable, 0f);
            StreamSampler sampler = new StreamSampler(WorldConfig.defaults(), SeedRanges.TRAIN, 4, 50, 0);
            TrainingStep step = new TrainingStep(model, probes, sampler, new Random(1), 2);
            NDManager carry = model.manager().newSubManager();
            MemoryBatch memory = MemoryBatch.empty(carry, config, 4);
            float[] losses = new float[30];
            for (int i = 0; i < losses.length; i++) {
                NDManager next = model.manager().newSubManager();
                TrainingStep.Result result = step.run(memory, next, 1f);
                carry.close();
                carry = next;
                memory = result.memory();
                adam.step(3e-3f, 1f);
                losses[i] = result.textLoss();
            }
            carry.close();
            float early = (losses[0] + losses[1] + losses[2]) / 3;
            float late = (losses[27] + losses[28] + losses[29]) / 3;
            assertThat(late).as("text loss after 30 steps vs the first 3").isLessThan(early - 0.4f);
            assertThat(sampler.cursor()).isEqualTo(8); // 60 frames per slot: each of the 4 slots started a second stream
        }
    }

    @Test
    void inTheHistoryWorldTheHistoryProbeLearnsTheCountsToo() {
        CasaConfig config = smallWorldConfig().forHistory(WorldTokenizer.history());
        WorldConfig world = WorldConfig.historyWorld();
        try (CasaModel model = CasaModel.create(config, 4)) {
            Parameters probeParameters = new Parameters(model.manager(), 5);
            GistProbes probes = new GistProbes(probeParameters, config.width(), config.decoderLayers(), world.history());
            assertThat(probes.hasHistory()).isTrue();
            Map<String, ai.djl.ndarray.NDArray> trainable = new LinkedHashMap<>(model.parameters().all());
            trainable.putAll(probeParameters.all());
            assertThat(trainable).containsKeys("decoder.gist_state.weight", "probes.history.weight");
            Adam adam = new Adam(model.manager(), trainable, 0f);
            StreamSampler sampler = new StreamSampler(world, SeedRanges.TRAIN, 4, 400, 0, true);
            TrainingStep step = new TrainingStep(model, probes, sampler, new Random(1), 2, world.history());
            NDManager carry = model.manager().newSubManager();
            MemoryBatch memory = MemoryBatch.empty(carry, config, 4);
            float[] losses = new float[20];
            for (int i = 0; i < losses.length; i++) {
                NDManager next = model.manager().newSubManager();
                TrainingStep.Result result = step.run(memory, next, 1f);
                carry.close();
                carry = next;
                memory = result.memory();
                assertThat(memory.gistState()).isNotNull();
                adam.step(3e-3f, 1f);
                losses[i] = result.probeLoss();
            }
            carry.close();
            assertThat(losses[19]).as("probe loss after 20 steps vs the first").isLessThan(losses[0] - 1f);
            assertThat(model.parameters().all().get("decoder.gist_state.weight").abs().sum().getFloat())
                    .as("the recurrence's projection left zero").isPositive();
        }
    }

    @Test
    void probeWeightFollowsTheCurriculum() {
        Schedule schedule = new Schedule(1e-3f, 1e-4f, 10, 1000);
        assertThat(schedule.probeWeight(0)).isEqualTo(1f);
        assertThat(schedule.probeWeight(400)).isEqualTo(1f);
        assertThat(schedule.probeWeight(500)).isBetween(0.6f, 0.7f);
        assertThat(schedule.probeWeight(900)).isEqualTo(0.3f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(schedule.learningRate(4)).isEqualTo(5e-4f, org.assertj.core.data.Offset.offset(1e-9f));
        assertThat(schedule.learningRate(10)).isEqualTo(1e-3f, org.assertj.core.data.Offset.offset(1e-9f));
        assertThat(schedule.learningRate(1000)).isEqualTo(1e-4f, org.assertj.core.data.Offset.offset(1e-9f));
    }
}
