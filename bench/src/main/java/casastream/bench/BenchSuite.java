package casastream.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every benchmark of {@code ./casa-stream bench}, in the order {@code all} runs them: later ones
 * (capacity) read the figures of earlier ones from the same run.
 */
public final class BenchSuite {

  /** The name that runs every benchmark. */
  public static final String ALL = "all";

  private final Map<String, Benchmark> benchmarks = new LinkedHashMap<>();

  public BenchSuite(List<Benchmark> benchmarks) {
    for (Benchmark benchmark : benchmarks) {
      this.benchmarks.put(benchmark.name(), benchmark);
    }
  }

  /** The benchmarks, in running order. */
  public static BenchSuite standard() {
    return new BenchSuite(List.of(
        new MemoryBenchmark(),
        new HistoryLatencyBenchmark(),
        new BatchingBenchmark(),
        new DecoderIdentityBenchmark(),
        new RooflineBenchmark(),
        new ProfileBenchmark(),
        new PipelineBenchmark(),
        new PipelineOverheadBenchmark(),
        new JobLevelsBenchmark(),
        new ManyStreamsBenchmark(),
        new SqlBenchmark(),
        new CapacityBenchmark(),
        new ClusterScaleBenchmark(),
        new SoakBenchmark()));
  }

  public List<String> names() {
    return new ArrayList<>(benchmarks.keySet());
  }

  /**
   * The benchmarks {@code name} stands for: one, several separated by commas (run in the suite's
   * order, so that capacity sees the others), or for {@link #ALL} every one but the long runs
   * that run only by name (see {@link Benchmark#inAll}).
   */
  public List<Benchmark> select(String name) {
    if (ALL.equals(name)) {
      return benchmarks.values().stream().filter(Benchmark::inAll).toList();
    }
    List<String> wanted = List.of(name.split(","));
    for (String one : wanted) {
      if (!benchmarks.containsKey(one)) {
        throw new IllegalArgumentException("no benchmark named '" + one + "': choose one of " + names() + ", "
            + ALL + ", or several joined by commas");
      }
    }
    List<Benchmark> selected = new ArrayList<>();
    benchmarks.forEach((key, benchmark) -> {
      if (wanted.contains(key)) {
        selected.add(benchmark);
      }
    });
    return selected;
  }

  /**
   * Runs the selected benchmarks one after the other.
   *
   * @param report called with each result as soon as it is ready, so a long run shows its progress
   * @return the run as JSON: {@code machine} (before), {@code benchmarks} (one object each),
   *     {@code machine_after} (the load average again)
   */
  public ObjectNode run(String name, BenchContext context, Consumer<BenchResult> report)
      throws Exception {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("machine", MachineInfo.snapshot());
    json.put("model", context.model().describe());
    json.put("quick", context.quick());
    json.put("decoder", context.decoding().id());
    ArrayNode results = json.putArray("benchmarks");
    for (Benchmark benchmark : select(name)) {
      context.progress("bench %s: %s", benchmark.name(), benchmark.description());
      long start = System.nanoTime();
      BenchResult result = benchmark.run(context);
      result.parameterIfAbsent("decoder", context.decoding().id());
      result.figure("benchmark_seconds", (System.nanoTime() - start) / 1e9);
      context.record(result);
      results.add(result.toJson());
      report.accept(result);
    }
    json.set("machine_after", MachineInfo.snapshot());
    return json;
  }
}
