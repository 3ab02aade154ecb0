package casastream.bench;

import casastream.cli.cluster.LocalCluster;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The CPU time of a local cluster's processes (the JobManager and each TaskManager) and of this JVM
 * (the embedded broker, the load generator and the reader) between two counts of committed events:
 * where a machine's cores went while the job ran at its sustained rate.
 */
final class ProcessCpu {

  /** This JVM, named in the figures. */
  static final String BENCHMARK = "benchmark (broker, reader)";

  private ProcessCpu() {}

  /** CPU seconds and cores used by each process over a window of wall time, and the frames committed in it. */
  record Window(Map<String, Double> cpuSeconds, double wallSeconds, int frames) {

    double cores(String process) {
      return cpuSeconds.get(process) / wallSeconds;
    }

    String describe() {
      StringJoiner joiner = new StringJoiner(", ");
      cpuSeconds.keySet().forEach(p -> joiner.add(String.format("%s %.2f", p, cores(p))));
      return joiner.toString();
    }

    ObjectNode toJson(int taskManagers) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("taskmanagers", taskManagers);
      node.put("wall_seconds", Math.round(wallSeconds * 100) / 100.0);
      node.put("frames", frames);
      ObjectNode processes = node.putObject("processes");
      double total = 0;
      for (Map.Entry<String, Double> process : cpuSeconds.entrySet()) {
        ObjectNode one = processes.putObject(process.getKey());
        one.put("cores", Math.round(cores(process.getKey()) * 1000) / 1000.0);
        one.put("cpu_ms_per_frame", Math.round(process.getValue() * 1e6 / Math.max(1, frames)) / 1000.0);
        total += process.getValue();
      }
      node.put("cores_total", Math.round(total / wallSeconds * 1000) / 1000.0);
      return node;
    }
  }

  /**
   * Waits until {@code from} events were committed, takes every process's CPU time, waits until
   * {@code to}, and takes it again.
   */
  static Window between(CommittedEvents committed, int from, int to, Path clusterDir, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitCount(committed, from, deadline);
    long startNanos = System.nanoTime();
    int startCount = committed.count();
    Map<String, Double> start = sample(clusterDir);
    awaitCount(committed, to, deadline);
    long endNanos = System.nanoTime();
    int endCount = committed.count();
    Map<String, Double> end = sample(clusterDir);
    Map<String, Double> used = new LinkedHashMap<>();
    for (Map.Entry<String, Double> process : end.entrySet()) {
      Double before = start.get(process.getKey());
      if (before != null) {
        used.put(process.getKey(), process.getValue() - before);
      }
    }
    return new Window(used, (endNanos - startNanos) / 1e9, endCount - startCount);
  }

  private static void awaitCount(CommittedEvents committed, int count, long deadline) throws InterruptedException {
    while (committed.count() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + committed.count() + " of " + count + " events were committed in time");
      }
      Thread.sleep(20);
    }
  }

  /** CPU seconds so far of the cluster's live processes, by name, and of this JVM. */
  private static Map<String, Double> sample(Path clusterDir) throws IOException {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (LocalCluster.Member member : new LocalCluster(clusterDir).members()) {
      if (member.alive()) {
        seconds(ProcessHandle.of(member.pid())).ifPresent(s -> cpu.put(member.name(), s));
      }
    }
    seconds(Optional.of(ProcessHandle.current())).ifPresent(s -> cpu.put(BENCHMARK, s));
    return cpu;
  }

  private static Optional<Double> seconds(Optional<ProcessHandle> process) {
    return process.flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9);
  }
}
