package casastream.operators.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** One subtask's hold on a shared model; closing it releases the hold once. */
public final class ModelLease<M extends AutoCloseable> implements AutoCloseable {

  private final String key;
  private final M model;
  private final Duration linger;
  private final AtomicBoolean released = new AtomicBoolean();

  ModelLease(String key, M model, Duration linger) {
    this.key = key;
    this.model = model;
    this.linger = linger;
  }

  public M model() {
    if (released.get()) {
      throw new IllegalStateException("Model lease on '" + key + "' was already closed");
    }
    return model;
  }

  public String key() {
    return key;
  }

  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      SharedModels.release(key, linger);
    }
  }
}
