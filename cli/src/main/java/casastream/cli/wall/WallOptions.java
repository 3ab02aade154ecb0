package casastream.cli.wall;

import casastream.operators.kafka.Topics;
import java.time.Duration;

/**
 * What a wall serves and where, checked once.
 *
 * @param bind the address the web server listens on (localhost unless told otherwise)
 * @param port its port; 0 picks a free one
 * @param maxStreams the most streams kept (the one updated longest ago is forgotten first)
 * @param thumbnailInterval the least time between two thumbnails of one stream
 */
public record WallOptions(String bind, int port, String framesTopic, String eventsTopic, String queriesTopic,
    int maxStreams, Duration thumbnailInterval) {

  public static final int DEFAULT_PORT = 8090;
  public static final int DEFAULT_MAX_STREAMS = 2000;

  public WallOptions {
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("--bind needs an address, e.g. localhost or 0.0.0.0");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, was " + port);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("--max-streams must be 1 or more, was " + maxStreams);
    }
    if (thumbnailInterval.isNegative()) {
      throw new IllegalArgumentException("The thumbnail interval must not be negative");
    }
  }

  /** The job's default topics, one thumbnail per stream per second. */
  public static WallOptions of(String bind, int port) {
    return new WallOptions(bind, port, Topics.FRAMES, Topics.TEXT_EVENTS, Topics.QUERIES, DEFAULT_MAX_STREAMS,
        Duration.ofSeconds(1));
  }
}
