package casastream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmark JVM's memory: the Java heap after a full collection, and the whole process's resident set. */
final class ProcessMemory {

  private ProcessMemory() {}

  /** Heap bytes in use after three requested full collections. */
  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The process's resident set in bytes (Linux {@code VmRSS}): heap, RocksDB and PyTorch's native
   * memory together, so native memory that is never freed shows here. -1 where /proc is absent.
   */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
