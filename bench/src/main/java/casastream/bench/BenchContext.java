package casastream.bench;

import casastream.model.decode.Decoding;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings of one {@code bench} run and what its benchmarks measured so far, so that later
 * benchmarks (roofline, capacity) can build on earlier figures of the same run.
 */
public final class BenchContext {

  private final boolean quick;
  private final ModelSource model;
  private final PrintWriter progress;
  private final Decoding decoding;
  private final Map<String, BenchResult> results = new LinkedHashMap<>();
  private final Map<String, Object> shared = new LinkedHashMap<>();

  /**
   * @param quick smaller sizes, for a smoke check of every benchmark in a few minutes
   * @param progress where benchmarks say what they are doing (stderr on the command line)
   */
  public BenchContext(boolean quick, ModelSource model, PrintWriter progress) {
    this(quick, model, progress, Decoding.DRAFT);
  }

  /** @param decoding how the model decodes in the benchmarks that do not compare decoders themselves */
  public BenchContext(boolean quick, ModelSource model, PrintWriter progress, Decoding decoding) {
    this.quick = quick;
    this.model = model;
    this.progress = progress;
    this.decoding = decoding;
  }

  public Decoding decoding() {
    return decoding;
  }

  public boolean quick() {
    return quick;
  }

  public ModelSource model() {
    return model;
  }

  public void progress(String format, Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }

  void record(BenchResult result) {
    results.put(result.name(), result);
  }

  /**
   * A measurement several benchmarks use (e.g. the insertion baseline's walk), taken once per run:
   * the first caller computes it, later ones get the same value.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Supplier<T> compute) {
    return (T) shared.computeIfAbsent(key, k -> compute.get());
  }

  /** The result of benchmark {@code name} if it already ran in this run. */
  public Optional<BenchResult> earlier(String name) {
    return Optional.ofNullable(results.get(name));
  }
}
