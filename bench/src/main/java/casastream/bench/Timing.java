package casastream.bench;

import java.util.Arrays;

/** Small statistics over timings; medians, because a shared machine adds one-sided outliers. */
final class Timing {

  private Timing() {}

  static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Nearest-rank percentile, {@code p} in 0..100. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to take a percentile of");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
