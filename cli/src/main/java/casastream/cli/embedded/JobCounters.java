package casastream.cli.embedded;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps the job's counters in this JVM, so that the embedded run's
 * status line can show what the operators count (frames in, frames dropped by load shedding, late
 * frames, dead letters) without going through the REST API, and how many values its histograms
 * recorded (a benchmark's model steps). Only meaningful where the job runs in
 * the same JVM, i.e. on the embedded MiniCluster; registered under the reporter name
 * {@link #REPORTER_NAME}.
 */
public final class JobCounters implements MetricReporter {

  public static final String REPORTER_NAME = "casa-demo";

  /** Counters by metric name (the operators' names: framesIn, framesDropped, lateFrames, deadLetters). */
  private static final Map<Counter, String> COUNTERS = new ConcurrentHashMap<>();
  /** Histograms by metric name (e.g. batchSize: one update per model step). */
  private static final Map<Histogram, String> HISTOGRAMS = new ConcurrentHashMap<>();
  /** Updates of the histograms already removed (their job ended), by metric name. */
  private static final Map<String, Long> RETIRED_UPDATES = new ConcurrentHashMap<>();

  /** Sum of every counter registered under {@code metricName}, across subtasks and labels. */
  public static long sum(String metricName) {
    long total = 0;
    for (Map.Entry<Counter, String> entry : COUNTERS.entrySet()) {
      if (entry.getValue().equals(metricName)) {
        total += entry.getKey().getCount();
      }
    }
    return total;
  }

  /**
   * How many values every histogram named {@code metricName} has recorded, in jobs running now and
   * in jobs that ended in this JVM: for {@code batchSize}, the model steps run so far.
   */
  public static long updates(String metricName) {
    long total = RETIRED_UPDATES.getOrDefault(metricName, 0L);
    for (Map.Entry<Histogram, String> entry : HISTOGRAMS.entrySet()) {
      if (entry.getValue().equals(metricName)) {
        total += entry.getKey().getCount();
      }
    }
    return total;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter counter) {
      COUNTERS.put(counter, metricName);
    } else if (metric instanceof Histogram histogram) {
      HISTOGRAMS.put(histogram, metricName);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter counter) {
      COUNTERS.remove(counter);
    } else if (metric instanceof Histogram histogram && HISTOGRAMS.remove(histogram) != null) {
      RETIRED_UPDATES.merge(metricName, histogram.getCount(), Long::sum);
    }
  }

  /** Found by Flink through META-INF/services and {@code metrics.reporter.casa-demo.factory.class}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new JobCounters();
    }
  }
}
