package casastream.bench;

/**
 * One named measurement of {@code ./casa-stream bench}. Every figure that depends on the machine's
 * speed is reported with a ratio measured in the same run, because the machine may be shared.
 */
public interface Benchmark {

  /** The name typed on the command line, e.g. {@code memory}. */
  String name();

  /** One line for the command's help. */
  String description();

  /**
   * Runs the measurement.
   *
   * @param context the run's settings and the results of benchmarks that ran before this one
   */
  BenchResult run(BenchContext context) throws Exception;

  /** Whether {@code all} runs it; a long run (the soak) runs only by name. */
  default boolean inAll() {
    return true;
  }
}
