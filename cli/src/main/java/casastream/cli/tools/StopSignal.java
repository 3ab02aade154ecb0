package casastream.cli.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Tells a long-running tool to stop, and lets Ctrl-C (SIGINT) or SIGTERM do so cleanly.
 *
 * <p>The signals are caught instead of left to start the JVM's shutdown: during a shutdown, the
 * hooks of the embedded Kafka broker and of Flink run at the same time as the tool's own clean-up
 * and may halt the JVM before the job is cancelled. Caught, the first signal only raises this stop
 * signal (and runs the registered actions, e.g. waking a blocked Kafka poll); the tool then closes
 * what it opened and returns normally. A second signal is left to the JVM: it exits at once.
 */
public final class StopSignal implements BooleanSupplier, AutoCloseable {

  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final List<Runnable> actions = new CopyOnWriteArrayList<>();
  private final List<Installed> installed = new ArrayList<>();
  private final CountDownLatch raised = new CountDownLatch(1);
  private volatile boolean stopped;

  private record Installed(Signal signal, SignalHandler previous) {}

  private StopSignal() {}

  /** A signal raised by Ctrl-C or SIGTERM, until {@link #close()}. */
  public static StopSignal onCtrlC() {
    StopSignal stop = new StopSignal();
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      try {
        SignalHandler previous = Signal.handle(signal, received -> stop.onSignal());
        stop.installed.add(new Installed(signal, previous));
      } catch (IllegalArgumentException reserved) {
        // The JVM keeps this signal (-Xrs): its default handling, a JVM shutdown, stays.
      }
    }
    return stop;
  }

  /** A signal raised only by {@link #stop()}. */
  public static StopSignal manual() {
    return new StopSignal();
  }

  /** Runs {@code action} when the signal is raised (at once if it already was). */
  public void onStop(Runnable action) {
    actions.add(action);
    if (stopped) {
      action.run();
    }
  }

  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    raised.countDown();
    actions.forEach(Runnable::run);
  }

  /** Blocks until the signal is raised. */
  public void await() throws InterruptedException {
    raised.await();
  }

  /** True once the signal was raised. */
  @Override
  public boolean getAsBoolean() {
    return stopped;
  }

  /** Gives the signals back to the JVM. */
  @Override
  public void close() {
    restoreHandlers();
  }

  private void onSignal() {
    // The next Ctrl-C is the user insisting: let the JVM's own handling end the process.
    restoreHandlers();
    System.err.println("casa-stream: stopping (press Ctrl-C again to exit at once)");
    stop();
  }

  private synchronized void restoreHandlers() {
    for (Installed handler : installed) {
      Signal.handle(handler.signal(), handler.previous());
    }
    installed.clear();
  }
}
