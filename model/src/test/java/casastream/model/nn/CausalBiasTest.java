package casastream.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The attention bias hides invalid keys, keys in a query's future and room not yet written. */
class CausalBiasTest {

    private static final float M = Ops.MASKED;

    @Test
    void aChunkSeesItsPastAndItselfButNotItsFutureNorTheRoom() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // keys: one invalid memory entry, one valid, the chunk of two, then two entries of room
            float[] valid = {0, 1, 1, 1, 0, 0};
            float[] bias = Ops.causalBias(manager.create(valid, new Shape(1, 6)), 2, 4).toFloatArray();
            assertThat(bias).containsExactly(
                    M, 0, 0, M, M, M,
                    M, 0, 0, 0, M, M);
        }
    }

    @Test
    void aSingleQuerySeesEveryValidKey() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] valid = {1, 0, 1, 0};
            assertThat(Ops.causalBias(manager.create(valid, new Shape(1, 4)), 1, 3).toFloatArray())
                    .containsExactly(0, M, 0, M);
        }
    }
}
