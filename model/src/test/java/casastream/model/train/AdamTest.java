package casastream.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Backward of sum(w * factor): the gradient of w is factor. */
    private static void backward(NDArray weight, float factor) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
             NDArray loss = weight.mul(factor).sum()) {
            collector.backward(loss);
        }
    }

    @Test
    void skipsAnInfiniteGradientAndLeavesNoNanBehindForTheNextStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1f, 2f, 3f}, new Shape(3));
            weight.setRequiresGradient(true);
            Adam adam = new Adam(manager, Map.of("w", weight), 0f);

            backward(weight, Float.POSITIVE_INFINITY);
            float skipped = adam.step(0.1f, 1f);
            assertThat(skipped).as("an infinite gradient's norm").isNotFinite();
            assertThat(weight.toFloatArray()).as("weights untouched by a skipped step").containsExactly(1f, 2f, 3f);
            for (int i = 0; i < 3; i++) { // the zeroed gradient must not live in memory the collector can free
                System.gc();
            }

            backward(weight, 1f);
            float norm = adam.step(0.1f, 10f);
            assertThat(norm).as("the next step's gradient norm: sqrt(3), no NaN carried over").isCloseTo(1.732f,
                    org.assertj.core.data.Offset.offset(1e-3f));
            float[] updated = weight.toFloatArray();
            for (int i = 0; i < updated.length; i++) {
                assertThat(updated[i]).as("weight %d after a clean step", i).isFinite().isLessThan(i + 1f);
            }
        }
    }
}
