package casastream.operators.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

  /** What Flink's GPU driver reports for one GPU: a property "index". */
  private record Gpu(String index) implements ExternalResourceInfo {
    @Override
    public Optional<String> getProperty(String key) {
      return Optional.ofNullable(Map.of("index", index).get(key));
    }

    @Override
    public Collection<String> getKeys() {
      return List.of("index");
    }
  }

  @Test
  void fallsBackToTheCpuWithoutGpuResources() {
    assertThat(DeviceSelector.choose(Set.of(), 4, 0)).isEqualTo(ComputeDevice.CPU);
  }

  @Test
  void fallsBackToTheCpuWhenTheEngineSeesNoGpu() {
    assertThat(DeviceSelector.choose(Set.of(new Gpu("0")), 0, 0)).isEqualTo(ComputeDevice.CPU);
  }

  @Test
  void spreadsSubtasksOverTheAssignedGpusBySubtaskIndex() {
    Set<ExternalResourceInfo> gpus = Set.of(new Gpu("1"), new Gpu("0"));
    assertThat(DeviceSelector.choose(gpus, 2, 0)).isEqualTo(ComputeDevice.gpu(0));
    assertThat(DeviceSelector.choose(gpus, 2, 1)).isEqualTo(ComputeDevice.gpu(1));
    assertThat(DeviceSelector.choose(gpus, 2, 2)).isEqualTo(ComputeDevice.gpu(0));
    assertThat(ComputeDevice.gpu(1)).hasToString("gpu:1");
  }

  @Test
  void namesTheDiscoveryScriptWhenAnIndexIsNotANumber() {
    assertThatThrownBy(() -> DeviceSelector.choose(Set.of(new Gpu("first")), 1, 0))
        .hasMessageContaining("'first'")
        .hasMessageContaining("discovery script");
  }
}
