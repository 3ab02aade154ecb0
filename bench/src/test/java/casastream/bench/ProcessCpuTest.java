package casastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void aWindowGivesCoresAndCpuPerFrameForEachProcess() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("jobmanager", 1.0);
    cpu.put("taskmanager-1", 18.0);
    cpu.put(ProcessCpu.BENCHMARK, 2.0);
    ProcessCpu.Window window = new ProcessCpu.Window(cpu, 20.0, 3_000);

    assertThat(window.cores("taskmanager-1")).isCloseTo(0.9, within(1e-9));
    JsonNode json = window.toJson(1);
    assertThat(json.path("processes").path("taskmanager-1").path("cpu_ms_per_frame").asDouble()).isEqualTo(6.0);
    assertThat(json.path("processes").path("jobmanager").path("cores").asDouble()).isEqualTo(0.05);
    assertThat(json.path("cores_total").asDouble()).isEqualTo(1.05);
    assertThat(window.describe()).startsWith("jobmanager 0.05, taskmanager-1 0.90");
  }

  @Test
  void thisJvmsCpuIsReadAndGrowsWithWork() {
    long before = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    long spin = System.nanoTime() + 200_000_000L;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1);
    }
    long after = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    assertThat(after - before).as("CPU of 200 ms of spinning (%s)", sink).isGreaterThan(100_000_000L);
  }

  @Test
  void framesPerStepSumsTheOperatorsOfEveryTaskManager() {
    String scraped = """
        # TYPE flink_taskmanager_job_task_operator_framesIn counter
        flink_taskmanager_job_task_operator_framesIn{tm_id="taskmanager_1",subtask_index="0",} 640.0
        flink_taskmanager_job_task_operator_framesIn{tm_id="taskmanager_1",subtask_index="1",} 360.0
        flink_taskmanager_job_task_operator_batchSize_count{tm_id="taskmanager_1",subtask_index="0",} 20.0
        flink_taskmanager_job_task_operator_batchSize_count{tm_id="taskmanager_1",subtask_index="1",} 30.0
        flink_taskmanager_job_task_operator_batchSize{tm_id="taskmanager_1",quantile="0.5",} 16.0
        """;
    assertThat(ClusterScaleBenchmark.sum(scraped, "flink_taskmanager_job_task_operator_framesIn{")).isEqualTo(1000.0);
    assertThat(ClusterScaleBenchmark.sum(scraped, "flink_taskmanager_job_task_operator_batchSize_count{"))
        .isEqualTo(50.0);
  }
}
