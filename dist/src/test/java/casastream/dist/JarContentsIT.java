package casastream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The two jars the build makes, checked once they are built (failsafe, after package): the Flink
 * job jar holds only what a TaskManager runs, and the runnable jar holds every command.
 */
class JarContentsIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JOB_JAR = ROOT.resolve("jobs/target/casa-stream-flink.jar");
  private static final Path RUNNABLE_JAR = ROOT.resolve("dist/target/casa-stream.jar");

  /** Class and resource prefixes that have no place on a TaskManager. */
  private static final List<String> NOT_IN_THE_JOB_JAR = List.of(
      "casastream/cli/", "casastream/bench/", "casastream/testkit/", // tools, benchmarks, test support
      "me/tongfei/progressbar/", "org/bytedeco/", // progress bars, video decoding
      "org/apache/kafka/common/test/", "kafka/server/", "org/apache/kafka/controller/", // the embedded broker
      "org/apache/flink/runtime/", "org/apache/flink/streaming/api/", // Flink itself: the cluster brings it
      "org/apache/flink/runtime/webmonitor/", "org/eclipse/jetty/", "io/javalin/", "io/undertow/", // web servers
      "org/rocksdb/", "org/apache/logging/log4j/core/", // the cluster's state backend and logging
      "pytorch/", "native/lib/libtorch"); // libtorch itself: the image or DJL's cache brings it

  @Test
  void theFlinkJobJarHoldsTheJobAndWhatItCallsButNoToolBenchmarkOrWebClass() throws IOException {
    assertThat(JOB_JAR).as("built by `mvn package` in jobs/").isRegularFile();
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      for (String needed : List.of("casastream/jobs/CasaStreamJob.class", "casastream/jobs/tools/NativeEngineCheck.class",
          "casastream/operators/inference/CasaInferenceOperator.class", "casastream/model/CasaModel.class",
          "casastream/schemas/Frame.class", "org/apache/flink/connector/kafka/sink/KafkaSink.class",
          "org/apache/kafka/clients/producer/KafkaProducer.class", "ai/djl/pytorch/engine/PtEngine.class",
          "picocli/CommandLine.class")) {
        assertThat(names).as("the job jar holds %s", needed).contains(needed);
      }
      assertThat(names).as("the jobs module's own classes: the job, its options, the engine check")
          .filteredOn(name -> name.startsWith("casastream/jobs/") && name.endsWith(".class"))
          .allMatch(name -> name.matches("casastream/jobs/(CasaStreamJob|CasaStreamJobOptions|tools/NativeEngineCheck)"
              + "(\\$.*)?\\.class"));
      for (String prefix : NOT_IN_THE_JOB_JAR) {
        assertThat(names).as("entries under %s", prefix).noneMatch(name -> name.startsWith(prefix));
      }
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("casastream.jobs.CasaStreamJob");
    }
    System.out.printf("casa-stream-flink.jar: %.1f MB%n", Files.size(JOB_JAR) / 1e6);
  }

  @Test
  void theRunnableJarListsEveryCommand() throws Exception {
    assertThat(RUNNABLE_JAR).as("built by `mvn package` in dist/").isRegularFile();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-jar", RUNNABLE_JAR.toString(), "--help")
        .redirectErrorStream(true).start();
    String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(help).isZero();
    for (String command : List.of("run", "demo", "produce", "tail", "queries", "clip", "wall", "sql", "broker", "cluster",
        "submit", "cancel", "bench", "train", "evaluate")) {
      assertThat(help).as("--help lists %s", command).containsPattern("(?m)^\\s+" + command + "\\s");
    }
  }

  @Test
  void theRunnableJarFindsTheSqlFormatAndTheKafkaTablesAsServices() throws IOException {
    try (JarFile jar = new JarFile(RUNNABLE_JAR.toFile())) {
      ZipEntry services = jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory");
      assertThat(services).as("the merged table factories").isNotNull();
      String listed = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(listed).contains("casastream.sql.format.CasaAvroFormatFactory")
          .contains("org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory");
    }
  }
}
