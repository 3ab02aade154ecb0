package casastream.jobs;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.runtime.ComputeDevice;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real model, made to throw from a batch step at scheduled step numbers: the operator fails,
 * and the job restores from its last checkpoint, which is what a test of exactly-once recovery
 * needs. Steps are counted JVM-wide over every model instance (all subtasks, all restarts), since
 * the MiniCluster runs the operators in the test's JVM; a test calls {@link #reset()} first.
 */
public final class FailureInjectingModelFactory implements FrameModelFactory {

  private static final long serialVersionUID = 1L;

  private static final AtomicInteger STEPS = new AtomicInteger();
  private static final AtomicInteger FAILURES = new AtomicInteger();
  private static final NavigableSet<Integer> SCHEDULE = new ConcurrentSkipListSet<>();

  private final FrameModelFactory delegate;

  public FailureInjectingModelFactory(FrameModelFactory delegate) {
    this.delegate = delegate;
  }

  /** Forgets the schedule and zeroes the step and failure counts. */
  public static void reset() {
    SCHEDULE.clear();
    STEPS.set(0);
    FAILURES.set(0);
  }

  /**
   * Schedules one failure at each of the 1-based step numbers (counted from the last reset). A
   * failure due at a step that another subtask took concurrently fires at the next step.
   */
  public static void failAtSteps(Collection<Integer> steps) {
    SCHEDULE.addAll(steps);
  }

  /** Schedules one failure at the next step any subtask runs. */
  public static void failNextStep() {
    SCHEDULE.add(STEPS.get() + 1);
  }

  /** Batch steps the model was asked to run since the last reset, the failed ones included. */
  public static int steps() {
    return STEPS.get();
  }

  /** Failures thrown since the last reset. */
  public static int failures() {
    return FAILURES.get();
  }

  /** Failures scheduled but not yet thrown. */
  public static int pending() {
    return SCHEDULE.size();
  }

  private static void failIfDue() {
    int step = STEPS.incrementAndGet();
    Integer due = SCHEDULE.isEmpty() ? null : SCHEDULE.first();
    if (due != null && due <= step && SCHEDULE.remove(due)) {
      FAILURES.incrementAndGet();
      throw new IllegalStateException("failure injected by the test at model step " + step
          + ", to make the job restore");
    }
  }

  @Override
  public String modelKey() {
    return delegate.modelKey() + "#failure-injecting";
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
        failIfDue();
        return model.step(requests);
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }
}
