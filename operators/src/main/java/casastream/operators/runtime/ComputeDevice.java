package casastream.operators.runtime;

import java.io.Serializable;

/**
 * Where a model runs: the CPU, or one GPU by its index on this machine.
 *
 * @param gpuIndex the GPU's index, or -1 for the CPU
 */
public record ComputeDevice(int gpuIndex) implements Serializable {

  public static final ComputeDevice CPU = new ComputeDevice(-1);

  public ComputeDevice {
    if (gpuIndex < -1) {
      throw new IllegalArgumentException(
          "GPU index must be 0 or more (or -1 for the CPU), was " + gpuIndex);
    }
  }

  public static ComputeDevice gpu(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("GPU index must be 0 or more, was " + index);
    }
    return new ComputeDevice(index);
  }

  public boolean isGpu() {
    return gpuIndex >= 0;
  }

  /** "cpu" or "gpu:N", the form used in logs, metrics and model-sharing keys. */
  @Override
  public String toString() {
    return isGpu() ? "gpu:" + gpuIndex : "cpu";
  }
}
