package casastream.cli.cluster;

import casastream.cli.ToolCommand;
import casastream.cli.tools.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.TaskManagerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./casa-stream cluster start|stop|status}: a standalone Flink session cluster on this
 * machine, a JobManager and TaskManagers as separate JVMs (see {@link LocalCluster}).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
        "A Flink session cluster on this machine: one JobManager and TaskManagers, each its own JVM,"
            + " configured from flink-conf/config.yaml, dashboard and REST on http://localhost:8081.",
        "Jobs go to it with `./casa-stream submit`."},
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every cluster subcommand shares. */
  static final class Where {
    @Option(names = "--dir", defaultValue = "casa-cluster", paramLabel = "DIR",
        description = "The cluster's configuration, logs, pids, checkpoints and savepoints (default: ./${DEFAULT-VALUE}).")
    Path dir;
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
          "Starts the JobManager (unless it runs) and --taskmanagers more TaskManagers, and waits until they"
              + " have registered. On a running cluster it adds TaskManagers (e.g. to replace a lost one).",
          "Every listener binds to localhost unless --bind opens it."})
  static final class Start extends ToolCommand {

    @Mixin
    Where where = new Where();

    @Option(names = "--taskmanagers", defaultValue = "1", paramLabel = "N",
        description = "TaskManagers to start (default: ${DEFAULT-VALUE}).")
    int taskManagers;

    @Option(names = "--slots", paramLabel = "S",
        description = "Slots per TaskManager, sharing one model (default: taskmanager.numberOfTaskSlots of"
            + " flink-conf/config.yaml, 2). Fixed when the JobManager starts.")
    Integer slots;

    @Option(names = "--bind", defaultValue = "localhost", paramLabel = "ADDRESS",
        description = "Address every listener binds to (REST, RPC, data, blobs); 0.0.0.0 opens the cluster to"
            + " the network, see the README's cluster section first (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--rest-port", defaultValue = "8081", paramLabel = "PORT",
        description = "Dashboard and REST port (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Option(names = "--rpc-port", defaultValue = "6123", paramLabel = "PORT",
        description = "The JobManager's RPC port, which TaskManagers connect to (default: ${DEFAULT-VALUE}).")
    int rpcPort;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
        description = "How long to wait for the processes to come up (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    protected int run() throws Exception {
      if (taskManagers < 0) {
        throw new IllegalArgumentException("--taskmanagers must be 0 or more, got " + taskManagers);
      }
      if (slots != null && slots < 1) {
        throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
      }
      if (restPort < 1 || restPort > 65535 || rpcPort < 1 || rpcPort > 65535) {
        throw new IllegalArgumentException("--rest-port and --rpc-port must be 1..65535, got " + restPort + " and " + rpcPort);
      }
      PrintWriter err = spec.commandLine().getErr();
      LocalCluster cluster = new LocalCluster(where.dir);
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      if (cluster.jobManagerRuns()) {
        if (slots != null && slots != cluster.configuration().get(
            TaskManagerOptions.NUM_TASK_SLOTS)) {
          throw new ToolException("The cluster in " + cluster.dir() + " runs with "
              + cluster.configuration().get(TaskManagerOptions.NUM_TASK_SLOTS)
              + " slots per TaskManager; stop it to change --slots");
        }
        err.println("casa-stream cluster: the JobManager runs (" + cluster.restAddress() + ")");
      } else {
        cluster.configure(bind, restPort, rpcPort, slots);
        err.println("casa-stream cluster: starting the JobManager, dashboard on http://" + cluster.restAddress());
        err.flush();
        cluster.startJobManager(timeout);
      }
      if (taskManagers > 0) {
        err.println("casa-stream cluster: starting " + taskManagers + " TaskManager(s)");
        err.flush();
        List<String> started = cluster.startTaskManagers(taskManagers, timeout);
        err.println("casa-stream cluster: " + String.join(", ", started) + " registered");
      }
      err.println("casa-stream cluster: logs in " + cluster.dir().resolve("log")
          + "; `./casa-stream cluster status` lists it, `./casa-stream cluster stop` ends it");
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stops exactly the processes `cluster start` started in --dir (TaskManagers first).")
  static final class Stop extends ToolCommand {

    @Mixin
    Where where = new Where();

    @Override
    protected int run() throws Exception {
      List<String> stopped = new LocalCluster(where.dir).stop(Duration.ofSeconds(30));
      spec.commandLine().getErr().println(stopped.isEmpty()
          ? "casa-stream cluster: nothing runs in " + where.dir.toAbsolutePath().normalize()
          : "casa-stream cluster: stopped " + String.join(", ", stopped));
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Lists the cluster's processes (pid, TaskManager id, slots, free slots) and its jobs.")
  static final class Status extends ToolCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    Where where = new Where();

    @Option(names = "--json", description = "One JSON object instead of a table.")
    boolean json;

    @Override
    protected int run() throws Exception {
      LocalCluster cluster = new LocalCluster(where.dir);
      ObjectNode status = status(cluster);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JSON.writeValueAsString(status));
      } else {
        out.printf("%-16s %-8s %-6s %-6s %s%n", "process", "pid", "alive", "slots", "free slots");
        for (JsonNode process : status.path("processes")) {
          out.printf("%-16s %-8d %-6s %-6s %s%n", process.path("name").asText(), process.path("pid").asLong(),
              process.path("alive").asBoolean() ? "yes" : "no", process.path("slots").asText("-"),
              process.path("free_slots").asText("-"));
        }
        for (JsonNode job : status.path("jobs")) {
          out.printf("job %s  %-10s %s%n", job.path("id").asText(), job.path("state").asText(), job.path("name").asText());
        }
        if (!status.path("rest").isMissingNode()) {
          out.println("dashboard: http://" + status.path("rest").asText());
        }
      }
      out.flush();
      return 0;
    }

    /** The processes of the pid files joined with what the JobManager's REST API says of them. */
    static ObjectNode status(LocalCluster cluster) throws Exception {
      ObjectNode status = JSON.createObjectNode();
      status.put("dir", cluster.dir().toString());
      List<LocalCluster.Member> members = cluster.members();
      Map<String, JsonNode> registered = new HashMap<>();
      ArrayNode jobs = status.putArray("jobs");
      if (cluster.jobManagerRuns()) {
        FlinkRest rest = new FlinkRest(cluster.restAddress());
        status.put("rest", cluster.restAddress());
        for (JsonNode taskManager : rest.get("taskmanagers").path("taskmanagers")) {
          registered.put(taskManager.path("id").asText(), taskManager);
        }
        for (JsonNode job : rest.get("jobs/overview").path("jobs")) {
          jobs.addObject().put("id", job.path("jid").asText()).put("name", job.path("name").asText())
              .put("state", job.path("state").asText());
        }
      }
      ArrayNode processes = status.putArray("processes");
      for (LocalCluster.Member member : members) {
        ObjectNode process = processes.addObject().put("name", member.name()).put("pid", member.pid())
            .put("alive", member.alive())
            .put("role", member.name().equals(LocalCluster.JOBMANAGER) ? "jobmanager" : "taskmanager");
        JsonNode taskManager = registered.get(member.name());
        if (taskManager != null) {
          process.put("taskmanager_id", member.name())
              .put("slots", taskManager.path("slotsNumber").asInt())
              .put("free_slots", taskManager.path("freeSlots").asInt());
        }
      }
      return status;
    }
  }
}
