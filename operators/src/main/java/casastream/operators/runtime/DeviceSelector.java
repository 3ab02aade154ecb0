package casastream.operators.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the device a subtask's model runs on from Flink's external resource {@code gpu}.
 *
 * <p>Flink's GPU driver gives every TaskManager the indexes of the GPUs it was assigned; subtasks
 * are spread over them by subtask index so that each GPU carries one shared model. Without GPU
 * resources (a MiniCluster, a CPU TaskManager) or without a GPU-capable engine the model runs on
 * the CPU; the choice and its reason are logged.
 */
public final class DeviceSelector {

  /** The external resource name configured in flink-conf (external-resources: gpu). */
  public static final String GPU_RESOURCE = "gpu";

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);

  private DeviceSelector() {}

  /**
   * @param gpus what {@code getRuntimeContext().getExternalResourceInfos("gpu")} returned
   * @param engineGpuCount how many GPUs the inference engine itself can see (0 for a CPU-only build)
   * @param subtaskIndex this subtask's index, used to spread subtasks over several GPUs
   */
  public static ComputeDevice choose(
      Collection<ExternalResourceInfo> gpus, int engineGpuCount, int subtaskIndex) {
    List<Integer> indexes =
        gpus.stream()
            .map(info -> info.getProperty("index"))
            .flatMap(Optional::stream)
            .map(DeviceSelector::parseIndex)
            .sorted()
            .toList();
    if (indexes.isEmpty()) {
      LOG.info("No external resource '{}' on this TaskManager: the model runs on the CPU", GPU_RESOURCE);
      return ComputeDevice.CPU;
    }
    if (engineGpuCount <= 0) {
      LOG.warn(
          "Flink assigned GPUs {} but the inference engine sees none (CPU-only native library?):"
              + " the model runs on the CPU. Install the CUDA build of the engine to use them.",
          indexes);
      return ComputeDevice.CPU;
    }
    int index = indexes.get(Math.floorMod(subtaskIndex, indexes.size()));
    if (index >= engineGpuCount) {
      LOG.warn(
          "GPU index {} from Flink is beyond the {} GPU(s) the engine sees: the model runs on the CPU",
          index,
          engineGpuCount);
      return ComputeDevice.CPU;
    }
    ComputeDevice device = ComputeDevice.gpu(index);
    LOG.info("Subtask {} runs its model on {} (assigned GPUs {})", subtaskIndex, device, indexes);
    return device;
  }

  private static int parseIndex(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "External resource 'gpu' reported index '" + value + "', which is not a number:"
              + " check the GPU discovery script configured in flink-conf",
          e);
    }
  }
}
