package casastream.cli.cluster;

import casastream.cli.tools.HostPort;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import picocli.CommandLine.Option;

/** {@code --jobmanager HOST:PORT}: the REST endpoint of the Flink cluster a command talks to. */
final class JobManagerOption {

  @Option(names = "--jobmanager", defaultValue = "localhost:8081", paramLabel = "HOST:PORT",
      description = "REST endpoint of the Flink JobManager (default: ${DEFAULT-VALUE}, the local cluster's).")
  String jobManager;

  HostPort address() {
    return HostPort.parse("--jobmanager", jobManager);
  }

  /** A client of that cluster's REST API, as {@code flink run} uses. */
  RestClusterClient<StandaloneClusterId> client() throws Exception {
    HostPort address = address();
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, address.host());
    conf.set(RestOptions.PORT, address.port());
    return new RestClusterClient<>(conf, StandaloneClusterId.getInstance());
  }
}
