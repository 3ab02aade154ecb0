package casastream.operators.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model per TaskManager JVM, shared by all of its slots.
 *
 * <p>Subtasks acquire a model by key (model location and device); the first acquirer loads it,
 * later ones share it, and when the last one releases it the model is closed, which frees its
 * native memory. The close can linger: a model released for less than its linger time (a job
 * restart, a rescale) is reused instead of reloaded.
 *
 * <p>This works across jobs and restarts only if this class is loaded once per JVM: it must be
 * loaded parent-first (see flink-conf/config.yaml), otherwise every job classloader gets its own
 * registry and its own model.
 */
public final class SharedModels {

  private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);

  /** Guarded by itself. Loads are rare (operator open), so one lock keeps the counting simple. */
  private static final Map<String, Entry> ENTRIES = new HashMap<>();
  /** Guarded by ENTRIES: models loaded in this JVM since it started (a reuse is not a load). */
  private static long loads;

  private static final ScheduledExecutorService CLOSER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "casa-model-closer");
        thread.setDaemon(true);
        return thread;
      });

  private SharedModels() {}

  /**
   * Returns a lease on the model under {@code key}, loading it with {@code loader} if this JVM
   * holds none. Close the lease exactly when the subtask stops using the model.
   *
   * @param linger how long the model stays loaded after its last lease closed; zero closes it at once
   */
  public static <M extends AutoCloseable> ModelLease<M> acquire(String key, Supplier<M> loader, Duration linger) {
    if (linger.isNegative()) {
      throw new IllegalArgumentException("Model linger time must be zero or positive, was " + linger);
    }
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(key);
      if (entry == null) {
        long start = System.nanoTime();
        M model = loader.get();
        if (model == null) {
          throw new IllegalStateException("Model loader for '" + key + "' returned no model");
        }
        entry = new Entry(model);
        ENTRIES.put(key, entry);
        loads++;
        LOG.info("Loaded model {} in {} ms", key, (System.nanoTime() - start) / 1_000_000);
      } else if (entry.pendingClose != null) {
        entry.pendingClose.cancel(false);
        entry.pendingClose = null;
        LOG.info("Reusing model {}, released moments ago", key);
      }
      entry.references++;
      @SuppressWarnings("unchecked")
      M model = (M) entry.model;
      return new ModelLease<>(key, model, linger);
    }
  }

  /** Models held in this JVM now, in use or lingering: one per model and device, however many slots use it. */
  public static int loadedCount() {
    synchronized (ENTRIES) {
      return ENTRIES.size();
    }
  }

  /** Models loaded in this JVM since it started; a subtask that reuses a loaded model adds nothing. */
  public static long loadCount() {
    synchronized (ENTRIES) {
      return loads;
    }
  }

  /** How many leases on {@code key} are open in this JVM (0 when none, loaded or not). */
  public static int referenceCount(String key) {
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(key);
      return entry == null ? 0 : entry.references;
    }
  }

  /** Whether a model is loaded under {@code key}, in use or lingering. */
  public static boolean isLoaded(String key) {
    synchronized (ENTRIES) {
      return ENTRIES.containsKey(key);
    }
  }

  static void release(String key, Duration linger) {
    Entry unused;
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(key);
      if (entry == null || entry.references == 0) {
        throw new IllegalStateException("Released model '" + key + "' that has no open lease");
      }
      entry.references--;
      if (entry.references > 0) {
        return;
      }
      if (!linger.isZero()) {
        entry.pendingClose = CLOSER.schedule(() -> closeIfUnused(key, entry), linger.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      ENTRIES.remove(key);
      unused = entry;
    }
    close(key, unused);
  }

  private static void closeIfUnused(String key, Entry entry) {
    synchronized (ENTRIES) {
      if (ENTRIES.get(key) != entry || entry.references > 0) {
        return;
      }
      ENTRIES.remove(key);
    }
    close(key, entry);
  }

  private static void close(String key, Entry entry) {
    try {
      entry.model.close();
      LOG.info("Closed model {}: its last user released it", key);
    } catch (Exception e) {
      LOG.warn("Closing model {} failed; its native memory may not be freed", key, e);
    }
  }

  private static final class Entry {
    final AutoCloseable model;
    int references;
    ScheduledFuture<?> pendingClose;

    Entry(AutoCloseable model) {
      this.model = model;
    }
  }
}
