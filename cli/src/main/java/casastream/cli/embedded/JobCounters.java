package casastream.cli.embedded;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps the job's counters in this JVM, so that the embedded run's
 * status line can show what the operators count (frames in, frames dropped by load shedding, late
 * frames, dead letters) without going through the REST API. Only meaningful where the job runs in
 * the same JVM, i.e. on the embedded MiniCluster; registered under the reporter name
 * {@link #REPORTER_NAME}.
 */
public final class JobCounters implements MetricReporter {

  public static final String REPORTER_NAME = "casa-demo";

  /** Counters by metric name (the operators' names: framesIn, framesDropped, lateFrames, deadLetters). */
  private static final Map<Counter, String> COUNTERS = new ConcurrentHashMap<>();

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

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter counter) {
      COUNTERS.put(counter, metricName);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter counter) {
      COUNTERS.remove(counter);
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
