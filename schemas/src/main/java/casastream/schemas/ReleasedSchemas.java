package casastream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record schema, read from the classpath. Release {@code n} keeps all
 * four schemas under {@code casastream/schemas/v<n>/<Name>.avsc}; versions count up from 1 without
 * gaps. A reader needs the writer's schema, so the decoder registers every released version: a
 * consumer built today still reads messages written by producers built against any older release.
 */
public final class ReleasedSchemas {

  static final String ROOT = "casastream/schemas/";

  private ReleasedSchemas() {}

  /** All released versions of the named record (e.g. "Frame"), oldest first. */
  public static List<Schema> of(String recordName) {
    List<Schema> versions = new ArrayList<>();
    ClassLoader loader = ReleasedSchemas.class.getClassLoader();
    for (int version = 1; ; version++) {
      String path = ROOT + "v" + version + "/" + recordName + ".avsc";
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read released schema " + path + " from the classpath", e);
      }
    }
  }
}
