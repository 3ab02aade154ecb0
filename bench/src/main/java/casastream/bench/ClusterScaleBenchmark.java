package casastream.bench;

import casastream.cli.CasaStreamCli;
import casastream.cli.cluster.LocalCluster;
import casastream.model.checkpoint.Checkpoint;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench cluster-scale}: the same load on a local cluster of one TaskManager and of two (one
 * slot and one PyTorch thread each, separate JVMs, the job submitted through the REST API), in one
 * run: a backlog of frames big enough to keep every slot busy, the sustained rate of committed
 * captions (one per frame) inside the window from 10% to 90% of them, and the ratio. Where the
 * machine has a core per TaskManager, each TaskManager is pinned to a core of its own.
 */
final class ClusterScaleBenchmark implements Benchmark {

  private static final long SEED = 910_000;
  private static final Path TASKSET = Path.of("/usr/bin/taskset");

  @Override
  public String name() {
    return "cluster-scale";
  }

  @Override
  public String description() {
    return "frames/s of the job on a local cluster of 1 and of 2 TaskManagers (separate JVMs, 1 slot each), same load";
  }

  /** It starts JobManager and TaskManager processes and takes minutes: by name only. */
  @Override
  public boolean inAll() {
    return false;
  }

  @Override
  public BenchResult run(BenchContext context) throws Exception {
    int streams = context.quick() ? 32 : 64;
    // Long enough that the fresh JVMs' first minute (the JIT compiling Flink's, Kafka's and the job's
    // code on every process of the new cluster) is a small part of the window: with 60 frames a stream
    // the window lasted 20-30 s, and two TaskManagers warming up at once took from each other.
    int framesPerStream = context.quick() ? 15 : 180;
    List<Integer> taskManagers = List.of(1, 2);
    List<Double> rates = new ArrayList<>();
    List<ProcessCpu.Window> cpuWindows = new ArrayList<>();
    List<Double> framesPerStep = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    boolean pinned = cores >= taskManagers.get(taskManagers.size() - 1) && Files.isExecutable(TASKSET);
    try (PipelineRig rig = new PipelineRig()) {
      Path model = context.model().checkpointDir(rig.scratch().resolve("model"));
      int side = Checkpoint.readConfig(model).imageSize();
      for (int count : taskManagers) {
        String frames = "scale-frames-" + count;
        String events = "scale-events-" + count;
        rig.createTopic(frames);
        rig.createTopic(events);
        try (FrameLoad load = new FrameLoad(rig.bootstrapServers(), streams, side, SEED)) {
          for (int sequence = 0; sequence < framesPerStream; sequence++) {
            load.send(frames, 0, streams, sequence);
          }
          load.flush();
        }
        Path clusterDir = rig.scratch().resolve("cluster-" + count);
        int restPort = PipelineRig.freePort();
        cli("cluster", "start", "--dir", clusterDir.toString(), "--taskmanagers", String.valueOf(count),
            "--slots", "1", "--rest-port", String.valueOf(restPort), "--rpc-port", String.valueOf(PipelineRig.freePort()));
        List<String> pinnedTo = pinned ? pinTaskManagers(clusterDir) : List.of();
        if (pinned) {
          context.progress("  cluster-scale: %d TaskManager(s) pinned: %s", count, String.join(", ", pinnedTo));
        }
        try (CommittedEvents committed = new CommittedEvents(rig.bootstrapServers(), events)) {
          cli("submit", "--jobmanager", "localhost:" + restPort, "--jar", jobJar().toString(),
              "--bootstrap-servers", rig.bootstrapServers(), "--frames-topic", frames, "--text-events-topic", events,
              "--group-id", "scale-" + count, "--transactional-id-prefix", "scale-" + count, "--model", model.toString(),
              "--decoder", context.decoding().id(),
              "--parallelism", String.valueOf(count), "--emit-policy", "every-frame", "--max-frame-age", "0s",
              "--checkpoint-interval", "1s");
          int total = streams * framesPerStream;
          ProcessCpu.Window cpu = ProcessCpu.between(committed, total / 10, total * 9 / 10, clusterDir,
              Duration.ofMinutes(15));
          int seen = committed.awaitCount(total, Duration.ofMinutes(15), Duration.ofSeconds(60));
          double rate = sustainedRate(committed.snapshot());
          rates.add(rate);
          cpuWindows.add(cpu);
          double perStep = framesPerModelStep();
          framesPerStep.add(perStep);
          context.progress("  cluster-scale: %d TaskManager(s): %d of %d frames committed, %.1f frames/s, %.1f frames"
              + " per model step; cores used in the window: %s", count, seen, total, rate, perStep, cpu.describe());
        } finally {
          new LocalCluster(clusterDir).stop(Duration.ofSeconds(30));
        }
      }
    }
    double ratio = rates.get(1) / rates.get(0);
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("streams", streams)
        .parameter("frames_per_stream", framesPerStream)
        .parameter("slots_per_taskmanager", 1)
        .parameter("pytorch_threads_per_taskmanager", 1)
        .parameter("checkpoint_interval_ms", 1000)
        .parameter("taskmanagers_pinned", pinned
            ? "each TaskManager process (all its threads) to a core of its own with taskset: taskmanager-1 to cpu 0,"
                + " taskmanager-2 to cpu 1; broker, JobManager, load and reader not pinned"
            : "no (" + (Files.isExecutable(TASKSET) ? cores + " cores" : "no " + TASKSET) + ")");
    result.row("TaskManagers", "frames/s (committed, 10%-90% window)", "frames per model step",
        "TaskManager cores", "TaskManager CPU ms per frame", "other cores (JobManager, broker, reader)");
    for (int i = 0; i < taskManagers.size(); i++) {
      ProcessCpu.Window window = cpuWindows.get(i);
      double taskManagerCores = window.cpuSeconds().keySet().stream()
          .filter(p -> p.startsWith(LocalCluster.TASKMANAGER_PREFIX)).mapToDouble(window::cores).sum();
      double allCores = window.cpuSeconds().keySet().stream().mapToDouble(window::cores).sum();
      result.row(taskManagers.get(i), rates.get(i), framesPerStep.get(i), taskManagerCores,
          taskManagerCores * window.wallSeconds() * 1000 / Math.max(1, window.frames()), allCores - taskManagerCores);
    }
    result.series("taskmanagers", taskManagers).series("frames_per_second", rates)
        .series("frames_per_model_step", framesPerStep)
        .figure("scale_out_ratio", ratio);
    // Where the cores went in each window: the processes of the cluster and this JVM (the embedded
    // broker and the reader timing the captions), as cores used and as CPU per committed frame.
    ArrayNode cpu = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < taskManagers.size(); i++) {
      cpu.add(cpuWindows.get(i).toJson(taskManagers.get(i)));
    }
    result.figure("cpu_in_window", cpu);
    result.target(Target.of("2 TaskManagers give at least 1.6x the frames/s of 1 (same load, one run)",
        String.format("%.2fx (%.1f vs %.1f frames/s)", ratio, rates.get(1), rates.get(0)), ratio >= 1.6));
    return result;
  }

  /**
   * Pins each TaskManager process, every thread of it, to one core of its own (taskmanager-N to cpu
   * N-1), so that one TaskManager has one core however many there are, and two have two: what a
   * TaskManager's slot gets on a cluster, instead of whatever the scheduler lends it from the
   * cores the others leave idle. Threads it starts later inherit the pinning.
   */
  private static List<String> pinTaskManagers(Path clusterDir) throws Exception {
    List<String> pinned = new ArrayList<>();
    for (LocalCluster.Member member : new LocalCluster(clusterDir).members()) {
      if (!member.name().startsWith(LocalCluster.TASKMANAGER_PREFIX) || !member.alive()) {
        continue;
      }
      int cpu = Integer.parseInt(member.name().substring(LocalCluster.TASKMANAGER_PREFIX.length())) - 1;
      Process taskset = new ProcessBuilder(TASKSET.toString(), "--all-tasks", "--cpu-list", "--pid",
          String.valueOf(cpu), String.valueOf(member.pid())).redirectErrorStream(true).start();
      String output = new String(taskset.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (taskset.waitFor() != 0) {
        throw new IllegalStateException("taskset could not pin " + member.name() + ": " + output.strip());
      }
      pinned.add(member.name() + " (pid " + member.pid() + ") to cpu " + cpu);
    }
    return pinned;
  }

  /**
   * Frames per model step over the whole run, summed over the cluster's TaskManagers as their
   * Prometheus reporters (ports 9249-9260) give them: the operators' {@code framesIn} over the
   * number of {@code batchSize} updates (one per model step). NaN where no reporter answered.
   */
  static double framesPerModelStep() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    double frames = 0;
    double steps = 0;
    for (int port = 9249; port <= 9260; port++) {
      String body;
      try {
        body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException nothingThere) {
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      frames += sum(body, "flink_taskmanager_job_task_operator_framesIn{");
      steps += sum(body, "flink_taskmanager_job_task_operator_batchSize_count{");
    }
    return steps == 0 ? Double.NaN : frames / steps;
  }

  static double sum(String scraped, String prefix) {
    return scraped.lines().filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  /** Captions per second between the arrival of the 10% and of the 90% of them: no start-up, no tail. */
  static double sustainedRate(List<CommittedEvents.Seen> seen) {
    long[] arrivals = seen.stream().mapToLong(CommittedEvents.Seen::receivedMillis).sorted().toArray();
    if (arrivals.length < 10) {
      return Double.NaN;
    }
    int from = arrivals.length / 10;
    int to = arrivals.length * 9 / 10;
    double seconds = Math.max(1, arrivals[to] - arrivals[from]) / 1000.0;
    return (to - from) / seconds;
  }

  private static Path jobJar() {
    String home = System.getProperty("casastream.home", ".");
    Path jar = Path.of(home, "jobs", "target", "casa-stream-flink.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The job jar " + jar + " is missing: build it with `mvn -B -DskipTests install`");
    }
    return jar;
  }

  private static void cli(String... args) {
    int code = CasaStreamCli.execute(args);
    if (code != 0) {
      throw new IllegalStateException("`casa-stream " + String.join(" ", args) + "` failed with status " + code);
    }
  }
}
