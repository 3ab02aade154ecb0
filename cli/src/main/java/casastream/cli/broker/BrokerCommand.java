package casastream.cli.broker;

import casastream.cli.ToolCommand;
import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.CasaTopics;
import casastream.cli.tools.HostPort;
import casastream.cli.tools.StopSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./casa-stream broker}: the embedded single-node KRaft broker on its own, with the job's
 * topics, until Ctrl-C; so that a local cluster, the tools and a user's own clients share one Kafka
 * without Docker.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a single-node Kafka broker (KRaft) with the job's topics created at the frame size limit,"
            + " until Ctrl-C.",
        "It listens on localhost only unless --listen names another address; with --dir its topics"
            + " and offsets are kept for the next start."})
public final class BrokerCommand extends ToolCommand {

  @Option(names = "--listen", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
      description = "Where clients connect (default: ${DEFAULT-VALUE}; 0.0.0.0:9092 opens it to the network).")
  String listen;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Keep the broker's data here across restarts (default: a temporary directory, deleted at exit).")
  Path dir;

  @Override
  protected int run() throws Exception {
    HostPort address = HostPort.parse("--listen", listen);
    PrintWriter err = spec.commandLine().getErr();
    try (StopSignal stop = StopSignal.onCtrlC();
         EmbeddedKafka kafka = EmbeddedKafka.start(address.host(), address.port(), dir)) {
      err.println("casa-stream broker: Kafka on " + kafka.bootstrapServers()
          + (address.opensToTheNetwork() ? " (listening on " + address + ": open to the network)" : "")
          + "; topics " + CasaTopics.all().stream().map(t -> t.name()).collect(Collectors.joining(", "))
          + (dir == null ? "; data in a temporary directory" : "; data in " + dir.toAbsolutePath())
          + "; Ctrl-C stops it");
      err.flush();
      stop.await();
      err.println("casa-stream broker: stopping");
    }
    return 0;
  }
}
