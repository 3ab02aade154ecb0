package casastream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CPU time of this JVM between two snapshots, split by thread: the process's total (which also
 * counts threads the JVM does not list as Java threads: garbage collection, the JIT compilers,
 * RocksDB's and PyTorch's native threads) and each Java thread's, grouped by name with its numbers
 * taken out ("kafka-request-handler-#"). A benchmark running the job, the broker and its own load
 * in one process uses it to tell the job's CPU from the rest.
 */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  /** What one snapshot saw: the process's CPU nanoseconds and each live Java thread's, by id. */
  record Snapshot(long processNanos, Map<Long, Long> threadNanos, Map<Long, String> names) {}

  /** Where a benchmark's own threads and the broker's are told apart from the job's. */
  enum Owner {
    /** The benchmark's frame producer, its committed-events reader and its driving thread. */
    BENCHMARK,
    /** The embedded Kafka broker (a separate process in any real deployment). */
    BROKER,
    /** Flink and the job: task threads, the sinks' producers, checkpointing, the runtime's RPC. */
    JOB
  }

  private ThreadCpu() {}

  static Snapshot snapshot() {
    if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        nanos.put(info.getThreadId(), cpu);
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    return new Snapshot(processCpuNanos(), nanos, names);
  }

  /** This process's CPU time in nanoseconds, every thread of it. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new IllegalStateException("this JVM does not report its process CPU time");
  }

  /**
   * The thread's group: its name with every run of digits replaced by '#', and a Flink task
   * thread's name cut to its chain's first operator ("CASA inference", "Source: frames").
   */
  static String group(String threadName) {
    String name = threadName;
    int chain = name.indexOf(" -> ");
    if (chain > 0) {
      name = name.substring(0, chain);
    }
    name = SUBTASK.matcher(name).replaceAll("");
    return DIGITS.matcher(name).replaceAll("#");
  }

  /** The " (1/2)#0" that ends a Flink task thread's name. */
  private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+$");

  /**
   * Whose thread this is, by name: the benchmark names its clients {@code bench-...}; the broker's
   * threads are Kafka's server threads (request handlers, network processors, the KRaft controller
   * and log machinery), while Kafka client threads of the job's sinks and sources are the job's.
   */
  static Owner owner(String threadName, String benchmarkThread) {
    if (threadName.equals(benchmarkThread) || threadName.contains("bench-")) {
      return Owner.BENCHMARK;
    }
    if (threadName.startsWith("kafka-producer-network-thread") || threadName.startsWith("kafka-coordinator-heartbeat")
        || threadName.contains("consumer")) {
      return Owner.JOB;
    }
    for (String server : BROKER_THREADS) {
      if (threadName.contains(server)) {
        return Owner.BROKER;
      }
    }
    return Owner.JOB;
  }

  /** Substrings of the embedded broker's thread names (Kafka's server side, KRaft included). */
  private static final List<String> BROKER_THREADS = List.of(
      "kafka-request-handler", "data-plane-kafka", "kafka-network-thread", "kafka-scheduler", "raft",
      "quorum-controller", "controller", "broker-", "ExpirationReaper", "LogDirFailureHandler", "log-cleaner",
      "group-coordinator", "transaction-", "share-coordinator", "kafka-log", "TxnMarkerSenderThread",
      "ReplicaFetcher", "AlterPartition", "AddPartitionsToTxn", "metadata", "event-handler", "executor-", "reaper",
      "metrics-meter-tick", "SensorExpiryThread", "PersisterStateManager", "kafka-", "KafkaServer");

  /** CPU nanoseconds from {@code before} to {@code after} of each Java thread alive at both or started between, by id. */
  private static Map<Long, Long> deltas(Snapshot before, Snapshot after) {
    Map<Long, Long> deltas = new HashMap<>();
    after.threadNanos().forEach((id, nanos) -> {
      long delta = nanos - before.threadNanos().getOrDefault(id, 0L);
      if (delta > 0) {
        deltas.put(id, delta);
      }
    });
    return deltas;
  }

  /** CPU nanoseconds from {@code before} to {@code after} of each thread group, most first. */
  static Map<String, Long> byGroup(Snapshot before, Snapshot after) {
    Map<String, Long> groups = new HashMap<>();
    deltas(before, after).forEach((id, delta) -> groups.merge(group(after.names().get(id)), delta, Long::sum));
    Map<String, Long> sorted = new LinkedHashMap<>();
    groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** CPU nanoseconds from {@code before} to {@code after} of the Java threads of each owner. */
  static Map<Owner, Long> byOwner(Snapshot before, Snapshot after, String benchmarkThread) {
    Map<Owner, Long> owners = new LinkedHashMap<>();
    for (Owner owner : Owner.values()) {
      owners.put(owner, 0L);
    }
    deltas(before, after).forEach((id, delta) ->
        owners.merge(owner(after.names().get(id), benchmarkThread), delta, Long::sum));
    return owners;
  }

  /** The process's CPU that no live Java thread accounts for: GC, JIT, native threads, threads that ended. */
  static long unlisted(Snapshot before, Snapshot after) {
    long listed = deltas(before, after).values().stream().mapToLong(Long::longValue).sum();
    return Math.max(0, after.processNanos() - before.processNanos() - listed);
  }
}
