package casastream.operators.inference;

import casastream.operators.runtime.ComputeDevice;
import java.io.Serializable;

/**
 * Loads a {@link FrameModel} on a TaskManager. Shipped with the job graph, so it holds only what
 * locates the model (a path, a config), never the model itself.
 */
public interface FrameModelFactory extends Serializable {

  /**
   * What identifies the model this factory loads (e.g. its checkpoint path). Subtasks of one JVM
   * whose factories give the same key and device share one loaded model.
   */
  String modelKey();

  /** How many GPUs the engine behind the model can use here (0 if it is a CPU-only build). */
  int engineGpuCount();

  /** The square frame side the model takes, known without loading it (the job sizes frames by it). */
  int imageSize();

  FrameModel load(ComputeDevice device);
}
