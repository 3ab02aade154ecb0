package casastream.jobs;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.runtime.ComputeDevice;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real model, made to fail one batch step once armed: the job then fails and restores from its
 * last checkpoint, which is what a test of exactly-once recovery needs. The flags are JVM-wide
 * because the MiniCluster runs the operator in the test's JVM.
 */
final class FailingOnceModelFactory implements FrameModelFactory {

  private static final long serialVersionUID = 1L;

  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicInteger FAILURES = new AtomicInteger();

  private final FrameModelFactory delegate;

  FailingOnceModelFactory(FrameModelFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public String modelKey() {
    return delegate.modelKey() + "#failing-once";
  }

  @Override
  public int engineGpuCount() {
    return delegate.engineGpuCount();
  }

  @Override
  public int imageSize() {
    return delegate.imageSize();
  }

  @Override
  public FrameModel load(ComputeDevice device) {
    FrameModel model = delegate.load(device);
    return new FrameModel() {
      @Override
      public String modelId() {
        return model.modelId();
      }

      @Override
      public ComputeDevice device() {
        return model.device();
      }

      @Override
      public int imageSize() {
        return model.imageSize();
      }

      @Override
      public List<StreamResult> step(List<StreamRequest> requests) {
        if (ARMED.compareAndSet(true, false)) {
          FAILURES.incrementAndGet();
          throw new IllegalStateException("failure injected by the test, to make the job restore");
        }
        return model.step(requests);
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }
}
