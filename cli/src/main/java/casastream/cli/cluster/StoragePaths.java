package casastream.cli.cluster;

import casastream.cli.tools.ToolException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Savepoint and checkpoint locations as users give them: a local path, or a URI (file:, s3:, hdfs: ...). */
final class StoragePaths {

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private StoragePaths() {}

  /**
   * The URI Flink takes for {@code location}. A local one ({@code file:} or a plain path) is made
   * absolute and, when {@code mustExist}, checked here: a missing savepoint is an error that names
   * the option, before anything is sent.
   */
  static String uri(String option, String location, boolean mustExist) {
    if (location.isBlank()) {
      throw new IllegalArgumentException(option + " is empty: give a directory or a URI");
    }
    Path local;
    if (SCHEME.matcher(location).matches()) {
      URI uri = URI.create(location);
      if (!"file".equals(uri.getScheme())) {
        return location; // a remote file system the cluster reaches; only it can check
      }
      local = Path.of(uri.getPath());
    } else {
      local = Path.of(location);
    }
    if (mustExist && !Files.exists(local)) {
      throw new ToolException(option + " " + location + " does not exist: give the savepoint `cancel --savepoint`"
          + " printed, or a retained checkpoint's chk-N directory");
    }
    return local.toAbsolutePath().normalize().toUri().toString();
  }
}
