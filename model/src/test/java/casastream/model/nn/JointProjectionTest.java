package casastream.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Two branches' projections joined into one product give each branch what its own product gives. */
class JointProjectionTest {

    @Test
    void aJointProjectionMatchesEachBranchProjectedAlone() {
        int width = 16;
        int heads = 2;
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            NDArray self = manager.randomNormal(new Shape(width, 3 * width));
            NDArray fusion = manager.randomNormal(new Shape(width, 3 * width));
            NDArray h = manager.randomNormal(new Shape(2, 3, width));
            Rotary rope = new Rotary(manager, 16, width / heads, 10_000);
            JointProjection.Qkv[] joint = JointProjection.joint(manager, self, fusion, heads).project(h, rope, 4);
            JointProjection.Qkv[] alone = {
                    JointProjection.single(self, heads).project(h, rope, 4)[0],
                    JointProjection.single(fusion, heads).project(h, rope, 4)[0]};
            for (int b = 0; b < 2; b++) {
                assertClose(joint[b].q(), alone[b].q());
                assertClose(joint[b].k(), alone[b].k());
                assertClose(joint[b].rawK(), alone[b].rawK());
                assertClose(joint[b].v(), alone[b].v());
                assertThat(joint[b].q().getShape()).isEqualTo(new Shape(2, heads, 3, width / heads));
            }
        }
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isCloseTo(e[i], within(1e-5f));
        }
    }
}
