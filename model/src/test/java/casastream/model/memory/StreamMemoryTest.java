package casastream.model.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.MemoryPrecision;
import casastream.model.TinyModels;
import casastream.model.decode.WindowLayout;
import casastream.model.nn.WindowState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamMemoryTest {

    @Test
    void serializedMemoryHasTheSameSizeAtFrameOneHundredAndTenThousand() {
        sameSizeAtFrameOneHundredAndTenThousand(microConfig());
    }

    @Test
    void withGistRecurrenceTooTheMemoryHasOneSizeAtFrameOneHundredAndTenThousand() {
        CasaConfig c = microConfig();
        CasaConfig recurrent = new CasaConfig(c.formatVersion(), c.imageSize(), c.patchSize(), c.stemChannels(), c.width(),
                c.heads(), c.decoderLayers(), c.visionLayers(), c.ffnMultiplier(), c.fusionLayout(), c.fusionEvery(),
                c.sharedFusionProjections(), c.fusionContext(), c.imageTokenFfn(), c.gistTokens(), c.gistHistory(),
                c.textTail(), c.eventTokens(), c.questionTokens(), c.vocabSize(), c.tokenizer(), c.memoryPrecision(),
                c.ropeBase(), true);
        sameSizeAtFrameOneHundredAndTenThousand(recurrent);
        // the gist state adds k x D numbers to the entries' keys and values
        assertThat(StreamMemory.byteSize(recurrent) - StreamMemory.byteSize(c))
                .isEqualTo(c.gistTokens() * c.width() * c.memoryPrecision().bytes());
    }

    @Test
    void theShippedDesignsMemorySizes() {
        CasaConfig shipped = CasaConfig.defaults(casastream.model.text.WorldTokenizer.instance());
        // 81,949 B of entries, then the last texts' ids: 2 x (1 + 14) caption and 2 x (1 + 18) events bytes
        assertThat(StreamMemory.byteSize(shipped)).isEqualTo(81_949 + 68);
        CasaConfig history = shipped.forHistory(casastream.model.text.WorldTokenizer.history());
        // the gist state, and 4 more events tokens
        assertThat(StreamMemory.byteSize(history)).isEqualTo(81_949 + 12 * 128 * 2 + 76).isLessThanOrEqualTo(2 * 81_949);
    }

    private static void sameSizeAtFrameOneHundredAndTenThousand(CasaConfig config) {
        int[] prefix = new WindowLayout(config, casastream.model.text.WorldTokenizer.instance())
                .teacherForced("a red circle", "none", null, false).tokens();
        int ring = config.gistTokens() + config.textTail();
        try (CasaModel model = CasaModel.create(config, 2); NDManager manager = model.manager().newSubManager()) {
            NDArray images = model.vision().forward(manager.zeros(new Shape(1, 3, config.imageSize(), config.imageSize())));
            NDArray tokens = manager.create(new int[][] {java.util.Arrays.copyOf(prefix, ring)});
            NDArray valid = manager.ones(new Shape(1, ring));
            NDManager carry = manager.newSubManager();
            MemoryBatch memory = MemoryBatch.empty(carry, config, 1);
            java.util.Map<Integer, Integer> sizes = new java.util.TreeMap<>();
            for (int frame = 1; frame <= 10_000; frame++) {
                // only the gist and caption segments reach the memory, so only they are fed
                WindowState state = model.decoder().beginFrame(images, memory, false);
                model.decoder().forward(state, tokens, valid, 0);
                NDManager next = manager.newSubManager();
                memory = state.endFrame().detach(next);
                carry.close();
                carry = next;
                if (frame == 1 || frame == 100 || frame == 10_000) {
                    StreamMemory stream = memory.toStreams().get(0);
                    assertThat(stream.frames()).isEqualTo(frame);
                    sizes.put(frame, stream.toBytes().length);
                }
            }
            assertThat(sizes).containsOnlyKeys(1, 100, 10_000);
            assertThat(sizes.values()).containsOnly(StreamMemory.byteSize(config));
        }
    }

    /** The smallest model the code allows: 10,000 frames through it take seconds. */
    private static CasaConfig microConfig() {
        CasaConfig c = TinyModels.config();
        return new CasaConfig(c.formatVersion(), 4, 4, 2, 8, 1, 1, 0, 1, c.fusionLayout(), c.fusionEvery(), false,
                c.fusionContext(), false, 1, 2, 2, 2, 4, c.vocabSize(), c.tokenizer(), MemoryPrecision.FP16, c.ropeBase());
    }

    @Test
    void bytesRoundTripExactlyInFullPrecisionAndCloselyInHalf() {
        CasaConfig full = TinyModels.config();
        CasaConfig half = withPrecision(full, MemoryPrecision.FP16);
        CasaConfig recurrent = TinyModels.recurrent();
        for (CasaConfig config : List.of(full, half, recurrent, withPrecision(recurrent, MemoryPrecision.FP16))) {
            try (NDManager manager = NDManager.newBaseManager()) {
                MemoryBatch batch = randomMemory(manager, config);
                StreamMemory memory = batch.toStreams().get(0);
                StreamMemory back = StreamMemory.fromBytes(config, memory.toBytes());
                assertThat(back.frames()).isEqualTo(memory.frames());
                assertThat(back.valid()).containsExactly(memory.valid());
                float tolerance = config.memoryPrecision() == MemoryPrecision.FP32 ? 0f : 2e-3f;
                assertThat(back.keys(0)).containsExactly(memory.keys(0), org.assertj.core.data.Offset.offset(tolerance));
                assertThat(back.values(0)).containsExactly(memory.values(0), org.assertj.core.data.Offset.offset(tolerance));
                if (config.gistRecurrence()) {
                    assertThat(memory.gistState()).hasSize(config.gistTokens() * config.width()).isNotEqualTo(new float[memory.gistState().length]);
                    assertThat(back.gistState()).containsExactly(memory.gistState(), org.assertj.core.data.Offset.offset(tolerance));
                    MemoryBatch again = MemoryBatch.of(manager, config, List.of(back));
                    assertThat(again.gistState().getShape()).isEqualTo(new Shape(1, config.gistTokens(), config.width()));
                } else {
                    assertThat(back.gistState()).isNull();
                }
            }
        }
    }

    @Test
    void theLastTextsRoundTripAndAMemoryOfVersionOneReadsWithoutThem() {
        CasaConfig config = TinyModels.config();
        try (NDManager manager = NDManager.newBaseManager()) {
            MemoryBatch batch = randomMemory(manager, config).withTexts(List.of(new TextIds(new int[] {3, 4, 5}, new int[0])));
            StreamMemory memory = batch.toStreams().get(0);
            byte[] bytes = memory.toBytes();
            StreamMemory back = StreamMemory.fromBytes(config, bytes);
            assertThat(back.texts().caption()).containsExactly(3, 4, 5);
            assertThat(back.texts().events()).isEmpty();
            assertThat(StreamMemory.fromBytes(config, StreamMemory.fresh(config).toBytes()).texts()).isNull();

            // version 1: the same bytes without the texts
            int textBytes = 2 * (config.textTail() - 1) + 2 * (config.eventTokens() - 1);
            byte[] v1 = java.util.Arrays.copyOf(bytes, bytes.length - textBytes);
            v1[4] = 1;
            StreamMemory old = StreamMemory.fromBytes(config, v1);
            assertThat(old.texts()).isNull();
            assertThat(old.keys(0)).containsExactly(back.keys(0));
            assertThat(old.frames()).isEqualTo(back.frames());

            // ids no model could have written are a draft to drop, not a memory to refuse
            byte[] corrupt = bytes.clone();
            corrupt[bytes.length - textBytes + 2] = (byte) 0xff;
            corrupt[bytes.length - textBytes + 3] = (byte) 0x7f;
            assertThat(StreamMemory.fromBytes(config, corrupt).texts()).isNull();
            assertThat(StreamMemory.fromBytes(config, corrupt).keys(0)).containsExactly(back.keys(0));
        }
    }

    @Test
    void bytesOfAnotherModelAreRefused() {
        CasaConfig config = TinyModels.config();
        byte[] bytes = StreamMemory.fresh(config).toBytes();
        CasaConfig other = withPrecision(config, MemoryPrecision.FP16);
        assertThatThrownBy(() -> StreamMemory.fromBytes(other, bytes)).isInstanceOf(MemoryFormatException.class)
                .hasMessageContaining("another model");
    }

    @Test
    void bytesOfAnotherVersionAreRefused() {
        CasaConfig config = TinyModels.config();
        byte[] bytes = StreamMemory.fresh(config).toBytes();
        bytes[4] = 9;
        assertThatThrownBy(() -> StreamMemory.fromBytes(config, bytes)).isInstanceOf(MemoryFormatException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        CasaConfig config = TinyModels.config();
        byte[] bytes = StreamMemory.fresh(config).toBytes();
        assertThatThrownBy(() -> StreamMemory.fromBytes(config, java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(MemoryFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> StreamMemory.fromBytes(config, "not a memory at all, just text".getBytes()))
                .isInstanceOf(MemoryFormatException.class).hasMessageContaining("magic");
    }

    private static MemoryBatch randomMemory(NDManager manager, CasaConfig config) {
        MemoryBatch empty = MemoryBatch.empty(manager, config, 1);
        int layers = config.selfAttentionLayers();
        Shape shape = new Shape(1, config.heads(), config.gistTokens() + config.textTail(), config.headDim());
        NDArray[] keys = new NDArray[layers];
        NDArray[] values = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.randomNormal(shape);
            values[l] = manager.randomNormal(shape);
        }
        NDArray valid = manager.ones(new Shape(1, config.gistTokens() + config.textTail()));
        NDArray state = config.gistRecurrence() ? manager.randomNormal(new Shape(1, config.gistTokens(), config.width())) : null;
        return empty.push(keys, values, valid, state);
    }

    private static CasaConfig withPrecision(CasaConfig c, MemoryPrecision precision) {
        return new CasaConfig(c.formatVersion(), c.imageSize(), c.patchSize(), c.stemChannels(), c.width(), c.heads(),
                c.decoderLayers(), c.visionLayers(), c.ffnMultiplier(), c.fusionLayout(), c.fusionEvery(),
                c.sharedFusionProjections(), c.fusionContext(), c.imageTokenFfn(), c.gistTokens(), c.gistHistory(),
                c.textTail(), c.eventTokens(), c.questionTokens(), c.vocabSize(), c.tokenizer(), precision, c.ropeBase(),
                c.gistRecurrence());
    }
}
