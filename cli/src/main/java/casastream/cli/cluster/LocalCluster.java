package casastream.cli.cluster;

import casastream.cli.tools.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.BootstrapTools;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine: one JobManager and any number of
 * TaskManagers, each its own JVM started from this process's classpath (the runnable jar holds the
 * Flink runtime, so no Flink distribution is needed), configured from flink-conf/config.yaml.
 *
 * <p>Everything lives under one directory: {@code conf/} (the config.yaml the processes read),
 * {@code log/} (a log and an {@code .out} file per process), {@code pids/}, and the checkpoints and
 * savepoints. Every listener binds to the given address, localhost unless the user opens it.
 */
public final class LocalCluster {

  /** The JobManager's process name (its pid file and logs). */
  public static final String JOBMANAGER = "jobmanager";
  /** TaskManager process names, which are also their Flink resource ids: taskmanager-1, taskmanager-2, ... */
  public static final String TASKMANAGER_PREFIX = "taskmanager-";

  /**
   * Module opens that Flink's serializers need on Java 17, the list Flink's own scripts pass (and
   * ./casa-stream passes to the embedded run).
   */
  static final List<String> JAVA_OPENS = Stream.of("java.lang", "java.lang.reflect", "java.net", "java.io",
          "java.nio", "sun.nio.ch", "java.text", "java.time", "java.util", "java.util.concurrent",
          "java.util.concurrent.atomic", "java.util.concurrent.locks")
      .map(pkg -> "--add-opens=java.base/" + pkg + "=ALL-UNNAMED").toList();

  /** The prefix of the Prometheus reporter's settings in flink-conf/config.yaml. */
  static final String PROMETHEUS = "metrics.reporter.prom.";

  private final Path dir;

  /** One process the cluster started: its name, its pid, and whether it still runs. */
  public record Member(String name, long pid, boolean alive) {}

  public LocalCluster(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  Path confDir() {
    return dir.resolve("conf");
  }

  Path logDir() {
    return dir.resolve("log");
  }

  private Path pidFile(String name) {
    return dir.resolve("pids").resolve(name + ".pid");
  }

  /** The configuration the processes run with (written by the first {@link #start}). */
  public Configuration configuration() {
    if (!Files.isRegularFile(confDir().resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
      throw new ToolException("No cluster was started in " + dir + ": run `./casa-stream cluster start` first");
    }
    return GlobalConfiguration.loadConfiguration(confDir().toString());
  }

  /** {@code host:port} of the REST endpoint (and dashboard) of this cluster. */
  public String restAddress() {
    Configuration conf = configuration();
    return conf.get(RestOptions.ADDRESS) + ":" + conf.get(RestOptions.PORT);
  }

  /**
   * Writes the cluster's configuration: flink-conf/config.yaml with this machine's settings on
   * top: every listener on {@code bind}, the REST and RPC ports, slots per TaskManager (null keeps the
   * file's), and checkpoints,
   * savepoints and temporary files under the cluster's directory.
   */
  void configure(String bind, int restPort, int rpcPort, Integer slots) throws IOException {
    Path template = Files.createTempDirectory("casa-flink-conf");
    Configuration conf;
    try (InputStream yaml = LocalCluster.class.getResourceAsStream("flink-conf/config.yaml")) {
      if (yaml == null) {
        throw new IllegalStateException("flink-conf/config.yaml is missing from the launcher's jar");
      }
      Files.copy(yaml, template.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
      conf = GlobalConfiguration.loadConfiguration(template.toString());
    } finally {
      try (Stream<Path> files = Files.list(template)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(template);
    }
    String advertised = advertisedHost(bind);
    conf.set(JobManagerOptions.ADDRESS, advertised);
    conf.set(JobManagerOptions.BIND_HOST, bind);
    conf.set(JobManagerOptions.PORT, rpcPort);
    conf.set(RestOptions.ADDRESS, advertised);
    conf.set(RestOptions.BIND_ADDRESS, bind);
    conf.set(RestOptions.PORT, restPort);
    conf.set(TaskManagerOptions.HOST, advertised);
    conf.set(TaskManagerOptions.BIND_HOST, bind);
    if (slots != null) {
      conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    }
    // Prometheus on the same address as everything else (Flink's own reporter binds every interface).
    conf.setString(PROMETHEUS + "factory.class", BoundPrometheusReporterFactory.class.getName());
    conf.setString(PROMETHEUS + "host", bind);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
    conf.set(CoreOptions.TMP_DIRS, dir.resolve("tmp").toString());
    // The processes' classpath is the launcher's: it already holds the job and every library the job
    // jar brings. Parent-first loads each class once (no second copy of Kafka's clients from the job
    // jar, which would not be assignable to the first), and with it one DJL engine and one model per
    // TaskManager.
    conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    Files.createDirectories(confDir());
    Files.createDirectories(logDir());
    Files.createDirectories(dir.resolve("pids"));
    Files.createDirectories(dir.resolve("tmp"));
    BootstrapTools.writeConfiguration(conf, confDir().resolve(GlobalConfiguration.FLINK_CONF_FILENAME).toFile());
    try (InputStream log4j = LocalCluster.class.getResourceAsStream("log4j-cluster.properties")) {
      Files.copy(log4j, confDir().resolve("log4j.properties"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A wildcard bind address cannot be handed to clients: they are told this machine's name. */
  private static String advertisedHost(String bind) {
    if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
      return bind;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** True when this cluster's JobManager process runs. */
  public boolean jobManagerRuns() {
    return member(JOBMANAGER).map(Member::alive).orElse(false);
  }

  /** Starts the JobManager and waits until its REST endpoint answers. */
  void startJobManager(Duration timeout) throws IOException, InterruptedException {
    Configuration conf = configuration();
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
    List<String> jvm = new ArrayList<>(split(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
    jvm.addAll(split(conf.get(CoreOptions.FLINK_JVM_OPTIONS)));
    jvm.addAll(split(conf.get(CoreOptions.FLINK_JM_JVM_OPTIONS)));
    Process process = launch(JOBMANAGER, jvm, StandaloneSessionClusterEntrypoint.class.getName(),
        split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    FlinkRest rest = new FlinkRest(restAddress());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!rest.reachable()) {
      if (!process.isAlive()) {
        throw new ToolException("The JobManager exited at start (status " + process.exitValue() + "): "
            + logTail(JOBMANAGER));
      }
      if (System.nanoTime() > deadline) {
        throw new ToolException("The JobManager's REST endpoint " + rest + " did not answer within "
            + timeout.toSeconds() + " s: " + logTail(JOBMANAGER));
      }
      Thread.sleep(250);
    }
  }

  /**
   * Starts {@code count} TaskManagers with the next free names and waits until each has
   * registered with the JobManager. Returns their names (= Flink resource ids).
   */
  List<String> startTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
    Configuration conf = configuration();
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    List<String> jvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
    jvm.addAll(split(conf.get(CoreOptions.FLINK_JVM_OPTIONS)));
    jvm.addAll(split(conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS)));
    List<String> names = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    int next = nextTaskManagerIndex();
    for (int i = 0; i < count; i++) {
      String name = TASKMANAGER_PREFIX + (next + i);
      List<String> dynamic = new ArrayList<>(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
      dynamic.addAll(List.of("-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + name));
      processes.add(launch(name, jvm, TaskManagerRunner.class.getName(), dynamic));
      names.add(name);
    }
    FlinkRest rest = new FlinkRest(restAddress());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!registeredTaskManagers(rest).containsAll(names)) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new ToolException("TaskManager " + names.get(i) + " exited at start (status "
              + processes.get(i).exitValue() + "): " + logTail(names.get(i)));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ToolException("TaskManagers " + names + " did not register within " + timeout.toSeconds()
            + " s: " + logTail(names.get(0)));
      }
      Thread.sleep(250);
    }
    return names;
  }

  private static Set<String> registeredTaskManagers(FlinkRest rest) {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode taskManager : rest.get("taskmanagers").path("taskmanagers")) {
      ids.add(taskManager.path("id").asText());
    }
    return ids;
  }

  private int nextTaskManagerIndex() throws IOException {
    int highest = 0;
    for (Member member : members()) {
      if (member.name().startsWith(TASKMANAGER_PREFIX) && member.alive()) {
        highest = Math.max(highest, Integer.parseInt(member.name().substring(TASKMANAGER_PREFIX.length())));
      }
    }
    return highest + 1;
  }

  /**
   * Starts one process of the cluster, detached from this one (it outlives the command), its output
   * in {@code log/NAME.out} and its log in {@code log/NAME.log}, and records its pid.
   */
  private Process launch(String name, List<String> jvmOptions, String mainClass, List<String> dynamicProperties)
      throws IOException {
    List<String> command = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      command.add(setsid.toString()); // its own session: a Ctrl-C meant for the launcher does not reach it
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(JAVA_OPENS);
    command.add("-Dlog.file=" + logDir().resolve(name + ".log"));
    command.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
    command.add("-Dcasastream.cluster.dir=" + dir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("--configDir");
    command.add(confDir().toString());
    command.addAll(dynamicProperties);
    Path out = logDir().resolve(name + ".out");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    Files.writeString(pidFile(name), Long.toString(process.pid()), StandardCharsets.UTF_8);
    return process;
  }

  /** The processes this cluster started (from its pid files), alive or not, JobManager first. */
  public List<Member> members() throws IOException {
    Path pids = dir.resolve("pids");
    if (!Files.isDirectory(pids)) {
      return List.of();
    }
    List<Member> members = new ArrayList<>();
    try (Stream<Path> files = Files.list(pids)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
        member(name).ifPresent(members::add);
      }
    }
    members.sort((a, b) -> a.name().equals(JOBMANAGER) ? -1 : b.name().equals(JOBMANAGER) ? 1
        : Integer.compare(index(a.name()), index(b.name())));
    return members;
  }

  private static int index(String name) {
    return name.startsWith(TASKMANAGER_PREFIX) ? Integer.parseInt(name.substring(TASKMANAGER_PREFIX.length())) : 0;
  }

  private Optional<Member> member(String name) {
    Path file = pidFile(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
      return Optional.of(new Member(name, pid, process(pid).isPresent()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The live process with this pid if it is one of this cluster's: its command line names this
   * cluster's directory, so a pid the system has since given to another program is never touched.
   */
  private Optional<ProcessHandle> process(long pid) {
    String marker = "-Dcasastream.cluster.dir=" + dir;
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().arguments().map(args -> Arrays.asList(args).contains(marker))
            .orElse(handle.info().commandLine().map(line -> line.contains(marker)).orElse(false)));
  }

  /**
   * Stops the processes this cluster started, TaskManagers first: SIGTERM, then SIGKILL for one
   * that has not ended within {@code grace}. Returns the names of those it stopped.
   */
  public List<String> stop(Duration grace) throws IOException, InterruptedException {
    List<Member> members = new ArrayList<>(members());
    Collections.reverse(members); // TaskManagers, then the JobManager
    List<String> stopped = new ArrayList<>();
    for (Member member : members) {
      Optional<ProcessHandle> handle = process(member.pid());
      if (handle.isPresent()) {
        handle.get().destroy();
        try {
          handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          handle.get().destroyForcibly();
          handle.get().onExit().join();
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        }
        stopped.add(member.name());
      }
      Files.deleteIfExists(pidFile(member.name()));
    }
    return stopped;
  }

  /** The first error of a process's log and the last lines of its output, for an error message. */
  private String logTail(String name) {
    StringBuilder tail = new StringBuilder();
    try {
      List<String> log = Files.readAllLines(logDir().resolve(name + ".log"), StandardCharsets.UTF_8);
      for (int i = 0; i < log.size(); i++) {
        if (log.get(i).contains(" ERROR ")) {
          log.subList(i, Math.min(log.size(), i + 8)).forEach(line -> tail.append("\n  ").append(line));
          break;
        }
      }
    } catch (IOException ignored) {
      // not written yet
    }
    try {
      List<String> out = Files.readAllLines(logDir().resolve(name + ".out"), StandardCharsets.UTF_8);
      out.subList(Math.max(0, out.size() - 10), out.size()).forEach(line -> tail.append("\n  ").append(line));
    } catch (IOException ignored) {
      // not written yet
    }
    return tail.length() == 0 ? "(no output; see " + logDir() + ")" : "see " + logDir() + ":" + tail;
  }

  private static List<String> split(String options) {
    if (options == null || options.isBlank()) {
      return List.of();
    }
    return Arrays.stream(options.trim().split("\\s+")).toList();
  }
}
