package casastream.cli.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CasaStreamCli;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.StopSignal;
import casastream.cli.tools.TestVideos;
import casastream.testkit.ListeningSockets;
import casastream.cli.tools.ToolException;
import casastream.schemas.TextEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded run, headless and bounded: its own broker on a fixed port, the MiniCluster with
 * RocksDB and checkpoints, the shipped model, two simulated cameras, and the other tools reaching
 * its broker while it runs: a video file produced into it becomes text events for that stream.
 */
class EmbeddedDemoTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void camerasAndAProducedVideoBecomeCommittedEventsThatOtherToolsSee(@TempDir Path dir) throws Exception {
    Path video = TestVideos.testPattern(dir, "clip.mp4", 3);
    int port = ListeningSockets.freePort();
    String bootstrap = "localhost:" + port;
    // Two slow cameras and a generous frame age: on a busy 2-core machine few frames are shed.
    DemoOptions options = new DemoOptions(2, 0.5, Duration.ZERO, true, null, "localhost", port, 0,
        Duration.ofSeconds(1), null, Duration.ofSeconds(2), Duration.ofSeconds(30));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    StopSignal stop = StopSignal.manual();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<EmbeddedDemo.Result> demo = executor.submit(
          () -> new EmbeddedDemo(options, new PrintWriter(out, true), new PrintWriter(err, true)).run(stop));
      await(() -> reachable(bootstrap) || demo.isDone(), Duration.ofSeconds(90), "the embedded broker", err);

      assertThat(cli("queries", "add", "red", "is there a red circle ?", "--bootstrap", bootstrap)).isZero();
      assertThat(cli("produce", "--video", video.toString(), "--fps", "2", "--no-pace", "--quiet",
          "--bootstrap", bootstrap)).isZero();
      await(() -> streamsWithEvents(out).containsAll(Set.of("cam-1", "cam-2", "clip")) || demo.isDone(),
          Duration.ofSeconds(180), "events of cam-1, cam-2 and clip", err);

      // Closed by default: the broker, the dashboard and every Flink port on loopback only.
      List<ListeningSockets.Listener> listening = ListeningSockets.ofThisProcess();
      assertThat(listening).extracting(ListeningSockets.Listener::port).contains(port);
      assertThat(listening).as("listening sockets of the demo").hasSizeGreaterThan(2)
          .allSatisfy(l -> assertThat(l.loopback()).as("%s is open beyond this machine", l).isTrue());

      ByteArrayOutputStream tailed = new ByteArrayOutputStream();
      assertThat(cli(tailed, "tail", "--bootstrap", bootstrap, "--from-beginning", "--stream", "clip",
          "--json", "--max", "1", "--timeout", "30")).isZero();
      assertThat(JSON.readTree(tailed.toString(StandardCharsets.UTF_8)).get("streamId").asText()).isEqualTo("clip");

      stop.stop();
      EmbeddedDemo.Result result = demo.get(90, TimeUnit.SECONDS);
      assertThat(result.framesSent()).isPositive();
      assertThat(result.eventsCommitted()).isEqualTo(jsonLines(out).size());
    } finally {
      stop.stop();
      executor.shutdown();
      executor.awaitTermination(90, TimeUnit.SECONDS);
    }

    List<String> fields = TextEvent.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
    for (JsonNode event : jsonLines(out)) {
      List<String> names = new ArrayList<>();
      event.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactlyElementsOf(fields);
    }
    assertThat(err.toString()).contains("status:").contains("events committed").contains("dropped");
    assertThat(reachable(bootstrap)).as("the broker stops with the demo").isFalse();
  }

  @Test
  void aDemoThatCannotStartSaysWhy() throws Exception {
    int port = ListeningSockets.freePort();
    DemoOptions options = new DemoOptions(1, 2, Duration.ofSeconds(1), false, "localhost:" + port,
        "localhost", 9092, 0, Duration.ofSeconds(1), null, Duration.ZERO, Duration.ofSeconds(10));
    StringWriter err = new StringWriter();
    try {
      new EmbeddedDemo(options, new PrintWriter(new StringWriter()), new PrintWriter(err)).run(() -> false);
      throw new AssertionError("the demo ran without a broker");
    } catch (ToolException e) {
      assertThat(e.getMessage()).contains("No Kafka broker reachable at localhost:" + port);
    }
  }

  @Test
  void aFolderWithoutACheckpointIsRefusedWithWhatToGive(@TempDir Path empty) throws Exception {
    DemoOptions options = new DemoOptions(1, 2, Duration.ofSeconds(1), false, null, "localhost", 0, 0,
        Duration.ofSeconds(1), empty, Duration.ZERO, Duration.ofSeconds(10));
    try {
      new EmbeddedDemo(options, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).run(() -> false);
      throw new AssertionError("the demo ran without a model");
    } catch (ToolException e) {
      assertThat(e.getMessage()).contains("Cannot use the model in " + empty)
          .contains("--model DIR").contains("config.json");
    }
  }

  private static boolean reachable(String bootstrap) {
    try {
      new KafkaAccess(bootstrap).requireReachable();
      return true;
    } catch (ToolException e) {
      return false;
    }
  }

  private static Set<String> streamsWithEvents(StringWriter out) {
    return jsonLines(out).stream().map(n -> n.get("streamId").asText()).collect(Collectors.toSet());
  }

  private static List<JsonNode> jsonLines(StringWriter out) {
    List<JsonNode> lines = new ArrayList<>();
    String text = out.toString();
    int end = text.lastIndexOf('\n');
    for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (java.io.IOException e) {
          throw new AssertionError("Not a JSON line on the demo's stdout: " + line, e);
        }
      }
    }
    return lines;
  }

  private static int cli(String... args) {
    return cli(new ByteArrayOutputStream(), args);
  }

  private static synchronized int cli(ByteArrayOutputStream captured, String... args) {
    PrintStream old = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return CasaStreamCli.execute(args);
    } finally {
      System.setOut(old);
    }
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what, StringWriter err)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + "; the demo said:\n" + err);
      }
      Thread.sleep(200);
    }
  }
}
