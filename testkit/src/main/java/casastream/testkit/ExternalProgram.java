package casastream.testkit;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A check that needs a program Maven cannot provide (docker-compose, a browser). On a developer's
 * machine without it the check is skipped, and the reason is printed so that the build output
 * lists what did not run; where {@code CI=true} (CI installs every such program) a missing program
 * fails the check, so that no check passes there by not running.
 */
public final class ExternalProgram {

  /** The environment variable CI sets; {@code true} turns a missing program into a failure. */
  public static final String CI = "CI";

  private ExternalProgram() {}

  /**
   * The program's path on the PATH. When it is missing, skips the calling test (printing
   * {@code SKIPPED <check>: ...}), or fails it where {@code CI=true}.
   *
   * @param program the command name, e.g. {@code docker-compose}
   * @param check   what the calling test checks, for the printed reason
   * @param install how to get the program, e.g. {@code apt-get install docker-compose}
   */
  public static Path require(String program, String check, String install) {
    return require(program, check, install, System.getenv(), System.out);
  }

  static Path require(String program, String check, String install, Map<String, String> environment,
      PrintStream out) {
    Optional<Path> found = find(program, environment.getOrDefault("PATH", ""));
    if (found.isPresent()) {
      return found.get();
    }
    String reason = "the " + program + " program is not on the PATH (" + install + "; .ci/run installs it)";
    if ("true".equalsIgnoreCase(environment.getOrDefault(CI, "").trim())) {
      throw new AssertionError(check + " must run where CI=true, but " + reason);
    }
    out.println("SKIPPED " + check + ": " + reason);
    Assumptions.abort(reason);
    throw new AssertionError("unreachable: Assumptions.abort returned");
  }

  /** The first executable file named {@code program} in the directories of {@code path}. */
  static Optional<Path> find(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
