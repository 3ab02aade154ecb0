package casastream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** flink-conf/ as Flink itself reads it: the settings the job relies on are there and spelled right. */
class FlinkConfigFilesTest {

  private static Configuration load(String dir) {
    return GlobalConfiguration.loadConfiguration(Path.of("..", "flink-conf", dir).toAbsolutePath().normalize().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "gpu"})
  void keepsKeyedStateInRocksDbWithIncrementalExactlyOnceCheckpoints(String dir) {
    Configuration conf = load(dir);
    assertThat(conf.toMap())
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.incremental", "true")
        .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
        .containsKey("execution.checkpointing.interval")
        .containsEntry("restart-strategy.type", "exponential-delay");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "gpu"})
  void loadsDjlAndTheModelRegistryParentFirstAndReportsToPrometheus(String dir) {
    Configuration conf = load(dir);
    assertThat(conf.toMap().get("classloader.parent-first-patterns.additional")).contains("ai.djl.").contains("casastream.");
    assertThat(conf.toMap()).containsEntry("metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpu"})
  void declaresTheGpuExternalResourceWithNvidiaDiscovery(String dir) {
    Configuration conf = load(dir);
    assertThat(conf.toMap())
        .containsEntry("external-resources", "gpu")
        .containsEntry("external-resource.gpu.amount", "1")
        .containsEntry("external-resource.gpu.driver-factory.class",
            "org.apache.flink.externalresource.gpu.GPUDriverFactory");
    assertThat(conf.toMap().get("external-resource.gpu.param.discovery-script.path")).endsWith("nvidia-gpu-discovery.sh");
  }
}
