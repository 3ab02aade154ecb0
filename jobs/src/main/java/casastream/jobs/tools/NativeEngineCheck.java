package casastream.jobs.tools;

import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine once and says what it found. A GPU image runs it at build time, with
 * downloads allowed and {@code PYTORCH_FLAVOR=cu128}, so that DJL fetches the CUDA build of
 * libtorch that matches its JNI into {@code DJL_CACHE_DIR}; TaskManagers then start offline.
 */
public final class NativeEngineCheck {

  private NativeEngineCheck() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    System.out.println("PyTorch engine " + engine.getVersion() + " loaded; GPUs visible: "
        + engine.getGpuCount() + "; default device: " + engine.defaultDevice());
  }
}
