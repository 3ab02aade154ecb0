package casastream.cli;

import casastream.cli.broker.BrokerCommand;
import casastream.cli.cluster.CancelCommand;
import casastream.cli.cluster.ClusterCommand;
import casastream.cli.cluster.SubmitCommand;
import casastream.cli.wall.WallCommand;
import casastream.jobs.CasaStreamJob;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point a user types ({@code ./casa-stream ...}): each piece of the product is a
 * subcommand registered here, and commands of other modules ({@code bench}) are found as
 * {@link ToolCommand} services on the classpath (the runnable jar holds them all).
 */
@Command(
    name = "casa-stream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Live camera frames to text: a Flink job running a CASA vision-language model"
        + " with constant per-stream memory.",
    subcommands = {
        CommandLine.HelpCommand.class,
        CasaStreamJob.class, DemoCommand.class, ProduceCommand.class, TailCommand.class, QueriesCommand.class,
        ClipCommand.class, WallCommand.class, SqlCommand.class,
        BrokerCommand.class, ClusterCommand.class, SubmitCommand.class, CancelCommand.class,
        TrainCommand.class, EvaluateCommand.class,
    })
public final class CasaStreamCli implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting (tests call this). */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new CasaStreamCli());
    for (ToolCommand command : ServiceLoader.load(ToolCommand.class)) {
      commandLine.addSubcommand(command);
    }
    return commandLine.setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    // No subcommand given: show what exists instead of doing nothing silently.
    spec.commandLine().usage(System.out);
  }
}
