package casastream.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The machine's dense fp32 matrix-multiply speed through DJL (PyTorch engine), measured now: the
 * ceiling the model's FLOP/s is compared with. Taken in the same run as the model's figures, so
 * that both see the same load from other processes.
 */
final class MatmulProbe {

  private MatmulProbe() {}

  /** FLOP/s of an n x n by n x n product, the median of {@code repeats} timed calls after two warm-ups. */
  static double flopsPerSecond(int n, int repeats) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(n, n));
      NDArray b = manager.randomNormal(new Shape(n, n));
      double[] seconds = new double[repeats];
      for (int i = -2; i < repeats; i++) {
        long start = System.nanoTime();
        try (NDArray product = a.matMul(b)) {
          product.getFloat(0, 0); // the CPU engine is eager; reading a value makes sure it finished
        }
        if (i >= 0) {
          seconds[i] = (System.nanoTime() - start) / 1e9;
        }
      }
      return 2.0 * n * n * n / Timing.median(seconds);
    }
  }
}
