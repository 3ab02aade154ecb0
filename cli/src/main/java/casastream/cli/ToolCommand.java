package casastream.cli;

import casastream.cli.tools.ToolException;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A subcommand whose failures a user can act on print as one line on stderr, with a non-zero exit
 * code and no stack trace; anything else is a bug and keeps its trace.
 *
 * <p>Commands of other modules (the benchmarks) join the launcher as services of this type: a
 * public subclass named in {@code META-INF/services/casastream.cli.ToolCommand}, found on the
 * classpath by {@link CasaStreamCli}.
 */
public abstract class ToolCommand implements Callable<Integer> {

  /** Exit code of a failure the message explains. */
  public static final int FAILED = 1;

  @CommandLine.Spec
  protected CommandLine.Model.CommandSpec spec;

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
  protected abstract int run() throws Exception;
}
