package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.runtime.ComputeDevice;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

  /** Records every metric under its scope, e.g. "reason=stale/framesDropped". */
  private static final class RecordingGroup extends UnregisteredMetricsGroup {
    private final String scope;
    private final Map<String, Object> metrics;

    RecordingGroup(String scope, Map<String, Object> metrics) {
      this.scope = scope;
      this.metrics = metrics;
    }

    private String name(String metric) {
      return scope.isEmpty() ? metric : scope + "/" + metric;
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      metrics.put(name(name), counter);
      return counter;
    }

    @Override
    public Counter counter(String name) {
      return counter(name, new SimpleCounter());
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      metrics.put(name(name), gauge);
      return gauge;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
      metrics.put(name(name), histogram);
      return histogram;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new RecordingGroup(name(key + "=" + value), metrics);
    }
  }

  @Test
  void registersEveryMetricTheDashboardAndPrometheusShow() {
    Map<String, Object> metrics = new TreeMap<>();
    InferenceMetrics inference = new InferenceMetrics(new RecordingGroup("", metrics), ComputeDevice.gpu(1), () -> 7,
        () -> 10L, () -> 8L);

    assertThat(metrics).containsKeys(
        "framesIn", "batchSize", "inferenceLatencyMillis", "reason=stale/framesDropped",
        "reason=over-rate/framesDropped", "reason=wrong-size/framesDropped", "lateFrames", "activeStreams",
        "stateBytesPerStream", "kind=CAPTION/eventsOut", "kind=ANSWER/eventsOut", "kind=ALERT/eventsOut",
        "pendingFrames", "device", "deviceGpuIndex", "queriesRejected", "inferenceCpuMicros", "textsDecoded",
        "draftsTaken");
    assertThat(((Gauge<?>) metrics.get("deviceGpuIndex")).getValue()).isEqualTo(1);
    assertThat(((Gauge<?>) metrics.get("device")).getValue()).isEqualTo("gpu:1");
    assertThat(((Gauge<?>) metrics.get("pendingFrames")).getValue()).isEqualTo(7);
    assertThat(((Gauge<?>) metrics.get("textsDecoded")).getValue()).isEqualTo(10L);
    assertThat(((Gauge<?>) metrics.get("draftsTaken")).getValue()).isEqualTo(8L);

    inference.streamStarted();
    inference.streamStarted();
    inference.streamCleared();
    assertThat(((Gauge<?>) metrics.get("activeStreams")).getValue()).isEqualTo(1L);
  }
}
