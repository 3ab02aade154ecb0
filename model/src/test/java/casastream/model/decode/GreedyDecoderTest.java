package casastream.model.decode;

import casastream.model.CasaInference;
import casastream.model.CasaModel;
import casastream.model.StreamInput;
import casastream.model.StreamOutput;
import casastream.model.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GreedyDecoderTest {

    private static final int STREAMS = 3;
    private static final int FRAMES = 3;
    private static CasaModel model;

    @BeforeAll
    static void load() {
        model = CasaModel.create(TinyModels.config(), 9);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void decodingIsDeterministic() {
        List<List<StreamOutput>> first = runBatched();
        List<List<StreamOutput>> second = runBatched();
        for (int f = 0; f < FRAMES; f++) {
            for (int s = 0; s < STREAMS; s++) {
                assertSame(second.get(f).get(s), first.get(f).get(s));
            }
        }
    }

    @Test
    void batchedDecodingOfManyStreamsEqualsDecodingEachAlone() {
        List<List<StreamOutput>> batched = runBatched();
        CasaInference inference = new CasaInference(model);
        for (int s = 0; s < STREAMS; s++) {
            byte[] memory = null;
            for (int f = 0; f < FRAMES; f++) {
                StreamOutput alone = inference.step(List.of(new StreamInput(memory, frame(s, f), questions(s)))).get(0);
                StreamOutput together = batched.get(f).get(s);
                assertThat(alone.caption()).isEqualTo(together.caption());
                assertThat(alone.events()).isEqualTo(together.events());
                assertThat(alone.answers()).isEqualTo(together.answers());
                assertThat(alone.frames()).isEqualTo(f + 1);
                assertThat(decodeMemory(alone.memory())).containsExactly(decodeMemory(together.memory()),
                        org.assertj.core.data.Offset.offset(1e-4f));
                memory = alone.memory();
            }
        }
    }

    private static List<List<StreamOutput>> runBatched() {
        CasaInference inference = new CasaInference(model);
        List<List<StreamOutput>> frames = new ArrayList<>();
        List<byte[]> memories = new ArrayList<>(java.util.Collections.nCopies(STREAMS, (byte[]) null));
        for (int f = 0; f < FRAMES; f++) {
            List<StreamInput> inputs = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                inputs.add(new StreamInput(memories.get(s), frame(s, f), questions(s)));
            }
            List<StreamOutput> outputs = inference.step(inputs);
            for (int s = 0; s < STREAMS; s++) {
                memories.set(s, outputs.get(s).memory());
            }
            frames.add(outputs);
        }
        return frames;
    }

    /** Streams ask different numbers of questions, so the batch forks unevenly. */
    private static List<String> questions(int stream) {
        List<String> all = List.of("is there a red circle ?", "is anything moving ?", "is the scene empty ?");
        return all.subList(0, stream % (all.size() + 1));
    }

    private static byte[] frame(int stream, int index) {
        int side = model.config().imageSize();
        byte[] rgb = new byte[side * side * 3];
        new Random(31L * stream + index).nextBytes(rgb);
        return rgb;
    }

    private static float[] decodeMemory(byte[] bytes) {
        casastream.model.memory.StreamMemory memory = casastream.model.memory.StreamMemory.fromBytes(model.config(), bytes);
        return casastream.model.memory.StreamMemoryAccess.keys(memory, 0);
    }

    private static void assertSame(StreamOutput actual, StreamOutput expected) {
        assertThat(actual.caption()).isEqualTo(expected.caption());
        assertThat(actual.events()).isEqualTo(expected.events());
        assertThat(actual.answers()).isEqualTo(expected.answers());
        assertThat(actual.memory()).isEqualTo(expected.memory());
    }
}
