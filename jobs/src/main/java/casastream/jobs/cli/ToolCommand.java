package casastream.jobs.cli;

import casastream.jobs.tools.ToolException;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A subcommand whose failures a user can act on print as one line on stderr, with a non-zero exit
 * code and no stack trace; anything else is a bug and keeps its trace.
 */
abstract class ToolCommand implements Callable<Integer> {

  /** Exit code of a failure the message explains. */
  static final int FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (ToolException e) {
      spec.commandLine().getErr().println("casa-stream " + spec.name() + ": " + e.getMessage());
      return FAILED;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** Does the work; returns the exit code. */
  abstract int run() throws Exception;
}
