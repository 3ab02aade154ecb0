package casastream.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A constant factor in the training graph must still be there when the backward pass runs, after
 * the garbage collector has run and the freed memory was reused (here by more constants of 1e9, as
 * the attention masks make).
 */
class ScaleUnderAutogradTest {

  @Test
  void theGradientOfAScaledTensorIsTheFactorEvenAfterGarbageCollection() throws Exception {
    assertThat(gradientAfterChurn(Ops::scale)).containsOnly(3f);
  }

  /** d(sum(f(x, 3)))/dx for x of 64 ones, with garbage collection and reuse between forward and backward. */
  static float[] gradientAfterChurn(BiFunction<NDArray, Float, NDArray> times) throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(64));
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = times.apply(x, 3f).sum();
        for (int round = 0; round < 5; round++) {
          System.gc();
          Thread.sleep(20); // the JDK's cleaner frees the buffers of collected direct ByteBuffers
          for (int i = 0; i < 2_000; i++) {
            try (NDArray constant = manager.create(1e9f)) {
              constant.getShape();
            }
          }
        }
        collector.backward(y);
      }
      return x.getGradient().toFloatArray();
    }
  }
}
