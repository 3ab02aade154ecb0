package casastream.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The machine a run measured on: absolute figures mean nothing without it, and without its load. */
public final class MachineInfo {

  private MachineInfo() {}

  /** CPU model, cores, memory, JVM, thread settings, time and the load average right now. */
  public static ObjectNode snapshot() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("cpu_model", cpuModel());
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    json.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    json.put("djl_pytorch_num_threads", System.getProperty("ai.djl.pytorch.num_threads", "default (cores)"));
    json.put("time", Instant.now().toString());
    json.put("load_average_1m", loadAverage());
    return json;
  }

  /** The 1-minute load average; above the core count, other processes were competing for the CPU. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall back to the JVM's view below
    }
    return System.getProperty("os.arch");
  }
}
