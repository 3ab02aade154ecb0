package casastream.cli.cluster;

import casastream.cli.ToolCommand;
import casastream.cli.tools.ToolException;
import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./casa-stream submit [--jobmanager HOST:PORT] [job options]}: builds CasaStreamJob's graph
 * from the same typed options as {@code run} (checked first: a bad one is named and nothing is
 * sent), uploads it with the job jar to a Flink cluster through its REST API, as {@code flink run}
 * does, and prints the job id.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
        "Submits the streaming job to a Flink cluster (the local one by default) and prints its job id.",
        "Takes every option of `run` (./casa-stream run --help), e.g. --bootstrap-servers localhost:9092;"
            + " they are checked before anything is uploaded."})
public final class SubmitCommand extends ToolCommand {

  /** The job jar of this checkout, relative to the directory the launcher runs from. */
  static final String JOB_JAR = "jobs/target/casa-stream-flink.jar";

  @Mixin
  JobManagerOption jobManager = new JobManagerOption();

  @Option(names = "--jar", paramLabel = "FILE",
      description = "The job jar to upload (default: " + JOB_JAR + " of this checkout).")
  Path jar;

  @Option(names = "--from-savepoint", paramLabel = "DIR",
      description = "Restore the job's state (every stream's memory, Kafka offsets) from this savepoint or retained"
          + " checkpoint: a directory, or the URI `cancel --savepoint` printed (file:, s3:, hdfs: ...).")
  String fromSavepoint;

  @Option(names = "--allow-non-restored-state",
      description = "With --from-savepoint: start even if some state in it belongs to no operator of the job.")
  boolean allowNonRestoredState;

  @Unmatched
  List<String> jobArguments = new ArrayList<>();

  @Override
  protected int run() throws Exception {
    CasaStreamJobOptions options;
    try {
      options = CasaStreamJob.parseOptions(jobArguments);
    } catch (CommandLine.ParameterException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "job option: " + e.getMessage(), e);
    }
    Path jobJar = jobJar();
    String restoreFrom = fromSavepoint == null ? null : StoragePaths.uri("--from-savepoint", fromSavepoint, true);
    JobGraph graph = jobGraph(options, jobJar, restoreFrom);
    JobID id;
    try (RestClusterClient<StandaloneClusterId> client = jobManager.client()) {
      id = client.submitJob(graph).get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new ToolException("The cluster at " + jobManager.address() + " did not take the job: "
          + ToolException.rootMessage(e), e);
    }
    spec.commandLine().getOut().println(id);
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().println("casa-stream submit: job " + id + " submitted; dashboard http://"
        + jobManager.address() + "/#/job/running/" + id + "/overview");
    return 0;
  }

  private Path jobJar() {
    Path file = jar;
    if (file == null) {
      String home = System.getProperty("casastream.home");
      if (home == null) {
        throw new ToolException("Which job jar? Pass --jar FILE (" + JOB_JAR + " once built)");
      }
      file = Path.of(home).resolve(JOB_JAR);
    }
    if (!Files.isRegularFile(file)) {
      throw new ToolException("The job jar " + file + " does not exist: build it with `mvn -B -DskipTests install`"
          + " or pass --jar FILE");
    }
    return file;
  }

  /** The job's graph from its typed options, with the jar the cluster loads its classes from. */
  private JobGraph jobGraph(CasaStreamJobOptions options, Path jobJar, String restoreFrom) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CasaStreamJob.build(env, options, CasaStreamJob.modelFactory(options));
    StreamGraph streamGraph = env.getStreamGraph();
    streamGraph.setJobName(CasaStreamJob.JOB_NAME);
    JobGraph graph = streamGraph.getJobGraph(Thread.currentThread().getContextClassLoader(), null);
    graph.addJar(new org.apache.flink.core.fs.Path(jobJar.toAbsolutePath().toUri()));
    if (restoreFrom != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, allowNonRestoredState));
    }
    return graph;
  }
}
