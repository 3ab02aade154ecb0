package casastream.cli.cluster;

import casastream.cli.tools.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads Flink's REST API (the dashboard's): task managers, jobs, checkpoints, as JSON. */
public final class FlinkRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** @param address {@code host:port} of the JobManager's REST endpoint */
  public FlinkRest(String address) {
    this.base = URI.create("http://" + address + "/");
  }

  /** The JSON of {@code GET path} (e.g. {@code taskmanagers}); a ToolException when Flink does not answer. */
  public JsonNode get(String path) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new ToolException("Flink at " + base + " answered " + response.statusCode() + " to " + path + ": "
            + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ToolException("No Flink JobManager answers at " + base + " (" + e.getClass().getSimpleName()
          + "): start one with `./casa-stream cluster start` or pass --jobmanager HOST:PORT", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("Interrupted while asking Flink at " + base, e);
    }
  }

  /** True when the REST endpoint answers. */
  public boolean reachable() {
    try {
      get("config");
      return true;
    } catch (ToolException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
