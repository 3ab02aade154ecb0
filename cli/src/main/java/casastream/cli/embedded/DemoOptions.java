package casastream.cli.embedded;

import casastream.cli.tools.HostPort;
import casastream.model.decode.Decoding;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an embedded run does, checked once.
 *
 * @param streams simulated cameras to run (0: none, only what others produce)
 * @param fps frames per second per simulated camera
 * @param duration how long to run; zero runs until stopped (Ctrl-C)
 * @param json print events as JSON lines instead of text
 * @param bootstrap an existing Kafka to use, or null to embed one
 * @param kafkaHost where the embedded broker listens
 * @param kafkaPort its port (0 picks a free one)
 * @param webPort the Flink dashboard's port (0 picks a free one)
 * @param checkpointInterval how often text events are committed
 * @param model a checkpoint directory, or null for the shipped model
 * @param statusInterval how often the status line is printed (zero: never)
 * @param maxFrameAge frames older than this when their turn comes are dropped (zero keeps all)
 * @param bind the address Flink's listeners (dashboard and REST, RPC, blobs) and the wall bind to
 * @param wallPort the stream wall's port (0 picks a free one), or -1 for no wall
 * @param decoding how the model decodes (--decoder)
 */
public record DemoOptions(int streams, double fps, Duration duration, boolean json, String bootstrap,
    String kafkaHost, int kafkaPort, int webPort, Duration checkpointInterval, Path model,
    Duration statusInterval, Duration maxFrameAge, String bind, int wallPort, Decoding decoding) {

  /** No wall. */
  public static final int NO_WALL = -1;

  /** Flink's listeners on localhost, no wall. */
  public DemoOptions(int streams, double fps, Duration duration, boolean json, String bootstrap,
      String kafkaHost, int kafkaPort, int webPort, Duration checkpointInterval, Path model,
      Duration statusInterval, Duration maxFrameAge) {
    this(streams, fps, duration, json, bootstrap, kafkaHost, kafkaPort, webPort, checkpointInterval, model,
        statusInterval, maxFrameAge, "localhost", NO_WALL, Decoding.DRAFT);
  }

  public DemoOptions {
    require(streams >= 0, "--streams must be 0 or more, was " + streams);
    require(fps > 0 && fps <= 100, "--fps must be above 0 and at most 100, was " + fps);
    require(!duration.isNegative(), "--duration must be 0 (run until Ctrl-C) or more, was " + duration.toSeconds());
    require(bootstrap == null || !bootstrap.isBlank(), "--bootstrap is empty: give HOST:PORT of a running Kafka");
    require(kafkaHost != null && !kafkaHost.isBlank(), "--kafka-listen needs a host, e.g. localhost:9092");
    require(kafkaPort >= 0 && kafkaPort <= 65535, "--kafka-listen port must be 0..65535, was " + kafkaPort);
    require(webPort >= 0 && webPort <= 65535, "--web-port must be 0..65535, was " + webPort);
    require(checkpointInterval.toMillis() >= 100, "--checkpoint-interval must be at least 100 ms");
    require(!statusInterval.isNegative(), "the status interval must not be negative");
    require(!maxFrameAge.isNegative(), "--max-frame-age must be 0 (keep every frame) or more");
    require(bind != null && !bind.isBlank(), "--bind needs an address, e.g. localhost or 0.0.0.0");
    require(wallPort >= NO_WALL && wallPort <= 65535, "--wall-port must be 0..65535, was " + wallPort);
    require(decoding != null, "--decoder needs plain or draft");
  }


  /** Parses {@code HOST:PORT} of --kafka-listen into this record's two fields. */
  public DemoOptions withKafkaListen(String hostPort) {
    HostPort listen = HostPort.parse("--kafka-listen", hostPort);
    return new DemoOptions(streams, fps, duration, json, bootstrap, listen.host(), listen.port(),
        webPort, checkpointInterval, model, statusInterval, maxFrameAge, bind, wallPort, decoding);
  }

  /** The address Flink's listeners bind to (--bind). */
  public DemoOptions withBind(String address) {
    return new DemoOptions(streams, fps, duration, json, bootstrap, kafkaHost, kafkaPort,
        webPort, checkpointInterval, model, statusInterval, maxFrameAge, address, wallPort, decoding);
  }

  /** The stream wall on this port (0 picks a free one; {@link #NO_WALL} for none). */
  public DemoOptions withWall(int port) {
    return new DemoOptions(streams, fps, duration, json, bootstrap, kafkaHost, kafkaPort,
        webPort, checkpointInterval, model, statusInterval, maxFrameAge, bind, port, decoding);
  }

  /** How the model decodes (--decoder). */
  public DemoOptions withDecoding(Decoding value) {
    return new DemoOptions(streams, fps, duration, json, bootstrap, kafkaHost, kafkaPort,
        webPort, checkpointInterval, model, statusInterval, maxFrameAge, bind, wallPort, value);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
