package casastream.cli;

import casastream.cli.embedded.DemoOptions;
import casastream.cli.embedded.EmbeddedDemo;
import casastream.cli.tools.StopSignal;
import casastream.cli.wall.WallOptions;
import casastream.jobs.CasaStreamJob;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream demo}: the main job on its embedded default, in one command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the streaming job on its embedded default, in one command.",
        "An in-process Kafka broker (KRaft), a Flink MiniCluster with the dashboard on"
            + " http://localhost:8081, RocksDB state and checkpoints, the shipped model and simulated"
            + " cameras, and the stream wall on http://localhost:8090. Prints each text event once it is"
            + " committed, and a status line on stderr."
            + " Other tools (produce, tail, queries) reach its broker while it runs. Ctrl-C stops it"
            + " cleanly."})
final class DemoCommand extends ToolCommand {

  @Option(names = "--streams", defaultValue = "4",
      description = "Simulated cameras cam-1..cam-N; 0 for none, only what others produce (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--fps", defaultValue = "2", description = "Frames per second per camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
      description = "Stop after this many seconds; 0 to run until Ctrl-C (default).")
  long durationSeconds;

  @Option(names = "--json", description = "Events as JSON lines on stdout (TextEvent field names).")
  boolean json;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Use this Kafka instead of the embedded broker (the topics are created if missing).")
  String bootstrap;

  @Option(names = "--kafka-listen", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
      description = "Where the embedded broker listens (default: ${DEFAULT-VALUE}).")
  String kafkaListen;

  @Option(names = "--web-port", defaultValue = "8081", description = "Port of the Flink dashboard (default: ${DEFAULT-VALUE}).")
  int webPort;

  @Option(names = "--bind", defaultValue = "localhost", paramLabel = "ADDRESS",
      description = "Address Flink's listeners (dashboard and REST, RPC) bind to; 0.0.0.0 opens them to the network,"
          + " where anyone who reaches the dashboard can run code (default: ${DEFAULT-VALUE}). The broker's is --kafka-listen.")
  String bind;

  @Option(names = "--checkpoint-interval", defaultValue = "2", paramLabel = "SECONDS",
      description = "Events are committed, and printed, at each checkpoint (default: ${DEFAULT-VALUE}).")
  double checkpointSeconds;

  @Option(names = "--model", paramLabel = "DIR",
      description = "A CASA checkpoint directory (config.json + model.safetensors); default: the shipped model.")
  Path model;

  @Option(names = "--status-every", defaultValue = "5", paramLabel = "SECONDS",
      description = "Status line interval on stderr; 0 for none (default: ${DEFAULT-VALUE}).")
  long statusSeconds;

  @Option(names = "--max-frame-age", defaultValue = "10", paramLabel = "SECONDS",
      description = "Frames older than this when their turn comes are dropped and counted (load"
          + " shedding); 0 keeps every frame (default: ${DEFAULT-VALUE}).")
  long maxFrameAgeSeconds;

  @Option(names = "--wall-port", defaultValue = "" + WallOptions.DEFAULT_PORT,
      description = "Port of the stream wall, the live page of every stream (default: ${DEFAULT-VALUE};"
          + " 0 picks a free one). It listens on --bind.")
  int wallPort;

  @Option(names = "--no-wall", description = "Do not start the stream wall.")
  boolean noWall;

  @Option(names = "--decoder", defaultValue = "draft", paramLabel = "plain|draft",
      description = "How the model decodes: draft checks each stream's last texts as a draft and lets finished"
          + " streams leave the batch; plain decodes token by token. Both write the same texts"
          + " (default: ${DEFAULT-VALUE}).")
  String decoder;

  @Override
  protected int run() throws Exception {
    DemoOptions options = new DemoOptions(streams, fps, Duration.ofSeconds(durationSeconds), json,
        bootstrap, "localhost", 9092, webPort, Duration.ofMillis(Math.round(checkpointSeconds * 1000)),
        model, Duration.ofSeconds(statusSeconds), Duration.ofSeconds(maxFrameAgeSeconds))
        .withKafkaListen(kafkaListen)
        .withBind(bind)
        .withWall(noWall ? DemoOptions.NO_WALL : wallPort)
        .withDecoding(CasaStreamJob.decoding("--decoder", decoder));
    try (StopSignal stop = StopSignal.onCtrlC()) {
      EmbeddedDemo.Result result =
          new EmbeddedDemo(options, spec.commandLine().getOut(), spec.commandLine().getErr()).run(stop);
      spec.commandLine().getErr().println("casa-stream demo: stopped after " + result.framesSent()
          + " frames sent and " + result.eventsCommitted() + " events committed");
    }
    return 0;
  }
}
