package casastream.model.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's autograd off on the calling thread for a scope, then restores what was there.
 *
 * <p>Autograd mode is thread-local in PyTorch and on by default; DJL turns it off only on the thread
 * that first starts the engine. On any other thread (a Flink task thread, a test runner after
 * another test started the engine) inference would record a gradient graph for nothing, and an
 * in-place update of a parameter would fail. Every entry point that runs the model without training
 * it, or updates parameters, opens this scope.
 */
public final class NoGrad implements AutoCloseable {

  private final boolean previous;

  private NoGrad() {
    previous = JniUtils.isGradMode();
    if (previous) {
      JniUtils.setGradMode(false);
    }
  }

  public static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    if (previous) {
      JniUtils.setGradMode(true);
    }
  }
}
