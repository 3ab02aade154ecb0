package casastream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.tools.KafkaAccess;
import casastream.testkit.ListeningSockets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The local cluster as a user runs it: a JobManager and TaskManagers as separate JVMs, the job
 * submitted through the REST API with the job jar, its text committed to a real broker, the model
 * loaded once per TaskManager, metrics on each TaskManager's Prometheus port, every listener on
 * localhost; a savepoint taken, a TaskManager added, the job restored from it; and stop ends
 * exactly the processes start began.
 */
class LocalClusterIT extends RealClusterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aJobRunsOnSeparateProcessesSharesOneModelPerTaskManagerAndRestoresFromASavepoint() throws Exception {
    String jobManager = startBrokerAndCluster(1, 2);
    String bootstrap = kafka.bootstrapServers();
    Path clusterDir = clusterDir();
    JsonNode status = status(clusterDir);
    assertThat(status.path("processes")).extracting(p -> p.path("name").asText())
        .containsExactly("jobmanager", "taskmanager-1");
    JsonNode taskManager = status.path("processes").get(1);
    assertThat(taskManager.path("alive").asBoolean()).isTrue();
    assertThat(taskManager.path("taskmanager_id").asText()).isEqualTo("taskmanager-1");
    assertThat(taskManager.path("slots").asInt()).isEqualTo(2);
    assertThat(taskManager.path("free_slots").asInt()).isEqualTo(2);

    CliRun bad = cli("submit", "--jobmanager", jobManager, "--jar", JOB_JAR.toString(),
        "--bootstrap-servers", bootstrap, "--max-wait", "5x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-wait").contains("5x");
    assertThat(new FlinkRest(jobManager).get("jobs/overview").path("jobs")).as("nothing was submitted").isEmpty();

    List<String> jobArguments = List.of("--bootstrap-servers", bootstrap, "--parallelism", "2",
        "--emit-policy", "every-frame", "--checkpoint-interval", "1s", "--max-frame-age", "0s");
    String job = submit(jobManager, jobArguments, null);
    produce(bootstrap, 2, 5);
    assertThat(committedEvents(bootstrap, 10)).as("captions of 2 streams x 5 frames").hasSize(10);

    // Scraped as Prometheus does, from the TaskManager's own port: both subtasks run in its JVM,
    // and both report the one model it loaded.
    String scraped = scrapeTaskManager("taskmanager-1");
    assertThat(scraped).contains("framesIn").contains("inferenceLatencyMillis").contains("batchSize");
    assertThat(samples(scraped, "modelsLoaded")).as("modelsLoaded of the two subtasks in one 2-slot TaskManager")
        .containsExactly(1.0, 1.0);
    assertThat(samples(scraped, "modelLoads")).as("models loaded by that JVM").containsExactly(1.0, 1.0);

    for (JsonNode process : status(clusterDir).path("processes")) {
      assertThat(ListeningSockets.of(process.path("pid").asLong()))
          .as("listening sockets of %s", process.path("name").asText()).isNotEmpty()
          .allSatisfy(l -> assertThat(l.loopback()).as("%s is open beyond this machine", l).isTrue());
    }

    CliRun cancel = cli("cancel", job, "--jobmanager", jobManager, "--savepoint", dir.resolve("savepoints").toString());
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    String savepoint = cancel.out().trim();
    assertThat(Path.of(URI.create(savepoint))).isDirectory();

    CliRun added = cli("cluster", "start", "--dir", clusterDir.toString(), "--taskmanagers", "1");
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(status(clusterDir).path("processes")).extracting(p -> p.path("name").asText())
        .containsExactly("jobmanager", "taskmanager-1", "taskmanager-2");

    // The same frames of sim-1 and sim-2 again, and a new stream sim-3: the restored job remembers
    // how far sim-1 and sim-2 had come, so their frames are late now; only sim-3 gets captions.
    String restored = submit(jobManager, jobArguments, savepoint);
    produce(bootstrap, 3, 5);
    assertThat(committedEvents(bootstrap, 15)).as("10 captions before, 5 of sim-3 after the restore").hasSize(15)
        .filteredOn(line -> line.contains("\"sim-3\"")).hasSize(5);
    assertThat(committedCount(bootstrap, "frames-late", 10)).as("frames of sim-1 and sim-2 sent again").isEqualTo(10);
    assertThat(new FlinkRest(jobManager).get("jobs/" + restored).path("state").asText()).isEqualTo("RUNNING");

    List<Long> pids = new ArrayList<>();
    status(clusterDir).path("processes").forEach(p -> pids.add(p.path("pid").asLong()));
    CliRun stop = cli("cluster", "stop", "--dir", clusterDir.toString());
    assertThat(stop.exitCode()).as(stop.err()).isZero();
    assertThat(stop.err()).contains("taskmanager-1").contains("taskmanager-2").contains("jobmanager");
    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d after stop", pid).isFalse());
    assertThat(status(clusterDir).path("processes")).isEmpty();
  }

  private String submit(String jobManager, List<String> jobArguments, String savepoint) throws Exception {
    List<String> args = new ArrayList<>(List.of("submit", "--jobmanager", jobManager, "--jar", JOB_JAR.toString()));
    if (savepoint != null) {
      args.addAll(List.of("--from-savepoint", savepoint));
    }
    args.addAll(jobArguments);
    CliRun submitted = cli(args.toArray(String[]::new));
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    String job = submitted.out().trim();
    assertThat(job).matches("[0-9a-f]{32}");
    FlinkRest rest = new FlinkRest(jobManager);
    await(() -> rest.get("jobs/" + job).path("vertices").findValuesAsText("status").stream()
        .allMatch("RUNNING"::equals), Duration.ofMinutes(2), "every task of job " + job + " running");
    return job;
  }

  private static void produce(String bootstrap, int streams, int frames) {
    CliRun produced = cli("produce", "--synthetic", String.valueOf(streams), "--frames", String.valueOf(frames),
        "--no-pace", "--quiet", "--bootstrap", bootstrap);
    assertThat(produced.exitCode()).as(produced.err()).isZero();
  }

  /** Committed events, read from the beginning, up to {@code max}. */
  private static List<String> committedEvents(String bootstrap, int max) {
    CliRun tail = cli("tail", "--bootstrap", bootstrap, "--from-beginning", "--json", "--max", String.valueOf(max),
        "--timeout", "120");
    return tail.out().lines().filter(line -> !line.isBlank()).toList();
  }

  /** How many committed records {@code topic} holds, waiting up to a minute for {@code expected}. */
  private static int committedCount(String bootstrap, String topic, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaAccess(bootstrap).committedConsumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      int count = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (count < expected && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(500)).count();
      }
      count += consumer.poll(Duration.ofSeconds(2)).count();
      return count;
    }
  }

  /** The values of an operator gauge in Prometheus' text format, one per subtask. */
  private static List<Double> samples(String scraped, String metric) {
    return scraped.lines().filter(line -> line.startsWith("flink_taskmanager_job_task_operator_" + metric + "{"))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).toList();
  }

  /** The /metrics text of the TaskManager's Prometheus port (the first of 9249-9260 that names it). */
  private static String scrapeTaskManager(String taskManagerId) throws Exception {
    String label = "tm_id=\"" + taskManagerId.replace('-', '_') + "\""; // Prometheus label values: [a-zA-Z0-9_]
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    StringBuilder seen = new StringBuilder();
    for (int port = 9249; port <= 9260; port++) {
      try {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains(label) && body.contains("framesIn")) {
          return body;
        }
        seen.append(" ").append(port).append(body.contains(label) ? " (no framesIn)" : "");
      } catch (java.io.IOException nothingThere) {
        // not a reporter's port
      }
    }
    throw new AssertionError("no Prometheus reporter on localhost:9249-9260 reports " + taskManagerId
        + "; reporters answered on:" + seen);
  }

  private static JsonNode status(Path clusterDir) throws Exception {
    CliRun run = cli("cluster", "status", "--dir", clusterDir.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(500);
    }
  }


  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }
}
