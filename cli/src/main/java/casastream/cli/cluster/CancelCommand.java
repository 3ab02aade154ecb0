package casastream.cli.cluster;

import casastream.cli.ToolCommand;
import casastream.cli.tools.ToolException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./casa-stream cancel JOBID [--savepoint DIR]}: ends a job on a Flink cluster; with
 * {@code --savepoint} it stops the job with a savepoint first (its pending text events committed),
 * from which {@code submit --from-savepoint} restores every stream's memory.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Ends a job on a Flink cluster; with --savepoint DIR it stops it with a savepoint and prints its path.")
public final class CancelCommand extends ToolCommand {

  @Parameters(index = "0", paramLabel = "JOBID", description = "The job id `submit` printed.")
  String jobId;

  @Mixin
  JobManagerOption jobManager = new JobManagerOption();

  @Option(names = "--savepoint", paramLabel = "DIR",
      description = "Stop with a savepoint under this directory or URI (on a cluster of several hosts, one they all"
          + " reach, e.g. s3://bucket/savepoints).")
  String savepoint;

  @Override
  protected int run() throws Exception {
    JobID id;
    try {
      id = JobID.fromHexString(jobId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JOBID must be the 32 hex digits `submit` printed, got " + jobId, e);
    }
    try (RestClusterClient<StandaloneClusterId> client = jobManager.client()) {
      if (savepoint == null) {
        client.cancel(id).get(2, TimeUnit.MINUTES);
        spec.commandLine().getErr().println("casa-stream cancel: job " + id + " cancelled");
      } else {
        String path = client.stopWithSavepoint(id, false, StoragePaths.uri("--savepoint", savepoint, false),
            SavepointFormatType.CANONICAL).get(10, TimeUnit.MINUTES);
        spec.commandLine().getOut().println(path);
        spec.commandLine().getErr().println("casa-stream cancel: job " + id + " stopped with a savepoint;"
            + " resume it with `./casa-stream submit --from-savepoint " + path + " ...`");
      }
    } catch (ExecutionException e) {
      throw new ToolException("The cluster at " + jobManager.address() + " could not end job " + id + ": "
          + ToolException.rootMessage(e), e);
    }
    return 0;
  }
}
