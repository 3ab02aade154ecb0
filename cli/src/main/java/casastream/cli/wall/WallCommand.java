package casastream.cli.wall;

import casastream.cli.ToolCommand;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.StopSignal;
import casastream.operators.kafka.Topics;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream wall}: a live web page of every stream, its captions, answers and alerts. */
@Command(
    name = "wall",
    mixinStandardHelpOptions = true,
    description = {
        "Serves a live web page of every stream: its latest frame, caption and answers, the alerts,",
        "and forms to add and remove standing questions. Reads the committed text events"
            + " (read_committed) and the frames from Kafka; listens on localhost unless --bind says"
            + " otherwise. Ctrl-C stops it."})
public final class WallCommand extends ToolCommand {

  @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
  String bootstrap;

  @Option(names = "--port", defaultValue = "" + WallOptions.DEFAULT_PORT,
      description = "Port of the page (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--bind", defaultValue = "localhost", paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 lets anyone who reaches"
          + " this machine see the frames and change the standing questions.")
  String bind;

  @Option(names = "--frames-topic", defaultValue = Topics.FRAMES, description = "Frames (default: ${DEFAULT-VALUE}).")
  String framesTopic;

  @Option(names = "--events-topic", defaultValue = Topics.TEXT_EVENTS, description = "Text events (default: ${DEFAULT-VALUE}).")
  String eventsTopic;

  @Option(names = "--queries-topic", defaultValue = Topics.QUERIES, description = "Control topic (default: ${DEFAULT-VALUE}).")
  String queriesTopic;

  @Option(names = "--max-streams", defaultValue = "" + WallOptions.DEFAULT_MAX_STREAMS,
      description = "Streams kept, one thumbnail each; the one updated longest ago is dropped first (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Override
  protected int run() throws Exception {
    WallOptions options = new WallOptions(bind, port, framesTopic, eventsTopic, queriesTopic, maxStreams,
        Duration.ofSeconds(1));
    try (StopSignal stop = StopSignal.onCtrlC();
        WallServer wall = WallServer.start(new KafkaAccess(bootstrap), options)) {
      spec.commandLine().getErr().println("casa-stream wall: on " + url(bind, wall.port()) + " (Ctrl-C stops it)");
      spec.commandLine().getErr().flush();
      while (!stop.getAsBoolean()) {
        Thread.sleep(200);
      }
    }
    return 0;
  }

  /** The page's address as a browser on this machine reaches it. */
  public static String url(String bind, int port) {
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
  }
}
