package casastream.cli;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.StopSignal;
import casastream.cli.tools.produce.FramePublisher;
import casastream.cli.tools.produce.ImageFolderSource;
import casastream.cli.tools.produce.ProduceRun;
import casastream.cli.tools.produce.ProduceRun.StreamInput;
import casastream.cli.tools.produce.ProgressListener;
import casastream.cli.tools.produce.SyntheticSource;
import casastream.cli.tools.produce.VideoFileSource;
import casastream.model.world.WorldConfig;
import casastream.operators.kafka.Topics;
import casastream.schemas.FrameEncoding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream produce}: publishes frames from videos, image folders or the synthetic world. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
        "Publishes camera frames to Kafka from videos, image folders or simulated cameras.",
        "Video files are decoded with FFmpeg; folders hold JPEG/PNG files in name order; simulated"
            + " cameras come from the synthetic world. Many streams at once, sampled at a target"
            + " frame rate; each video or folder is one stream named after it."})
final class ProduceCommand extends ToolCommand {

  /** What to do with a picture over the topic's message size limit. */
  enum Oversize { REENCODE, REFUSE }

  /** The synthetic world of the simulated cameras. */
  enum World { DEFAULT, HISTORY }

  @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
  String bootstrap;

  @Option(names = "--topic", defaultValue = Topics.FRAMES, description = "Frames topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--video", paramLabel = "FILE", description = "A video file: one stream. Repeatable.")
  List<Path> videos = new ArrayList<>();

  @Option(names = "--images", paramLabel = "DIR",
      description = "A folder of .jpg/.png files, in name order: one stream. Repeatable.")
  List<Path> folders = new ArrayList<>();

  @Option(names = "--synthetic", defaultValue = "0", paramLabel = "N",
      description = "N simulated cameras of the synthetic world.")
  int synthetic;

  @Option(names = "--world", paramLabel = "default|history",
      description = {"World of the simulated cameras (default: the one the shipped model was trained on).",
          "default: the frame-to-frame world; history: objects stay longer and come back ('stayed', 'came back')."})
  World world;

  @Option(names = "--frames", defaultValue = "100", paramLabel = "N",
      description = "Frames per simulated camera; 0 for endless (default: ${DEFAULT-VALUE}).")
  long frames;

  @Option(names = "--stream-id", paramLabel = "ID",
      description = "Stream id, when there is a single input (default: the file or folder name; sim-1.. for simulated cameras).")
  String streamId;

  @Option(names = "--fps", defaultValue = "2", description = "Frames per second per stream (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
      description = "Stop after this many seconds; 0 to run until the inputs end or Ctrl-C.")
  long durationSeconds;

  @Option(names = "--no-pace", description = "Send as fast as Kafka takes frames instead of in real time.")
  boolean noPace;

  @Option(names = "--oversize", defaultValue = "REENCODE",
      description = "A picture over the topic's size limit: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Oversize oversize;

  @Option(names = "--seed", defaultValue = "900000",
      description = "Seed of the first simulated camera; 900000 and above are streams the model never trained on (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  protected int run() throws InterruptedException {
    if (!(fps > 0) || durationSeconds < 0 || synthetic < 0) {
      throw new IllegalArgumentException("--fps must be above 0, --duration and --synthetic 0 or more");
    }
    List<StreamInput> inputs = inputs();
    PrintWriter err = spec.commandLine().getErr();
    ProduceRun.Summary summary;
    try (StopSignal stop = StopSignal.onCtrlC();
        FramePublisher publisher = FramePublisher.open(new KafkaAccess(bootstrap), topic);
        ProgressListener progress = new ProgressListener(inputs, quiet, err)) {
      summary = new ProduceRun(publisher, inputs, !noPace, oversize == Oversize.REENCODE, progress)
          .run(Duration.ofSeconds(durationSeconds), stop);
    } finally {
      inputs.forEach(i -> i.source().close());
    }
    err.println("casa-stream produce: sent " + summary.totalSent() + " frame(s) of " + inputs.size()
        + " stream(s) to " + topic + " in " + summary.elapsed().toSeconds() + " s"
        + (summary.totalRefused() == 0 ? "" : ", refused " + summary.totalRefused() + " over the size limit"));
    return 0;
  }

  private List<StreamInput> inputs() {
    int count = videos.size() + folders.size() + synthetic;
    if (count == 0) {
      throw new IllegalArgumentException("Nothing to produce: give --video FILE, --images DIR or --synthetic N");
    }
    if (streamId != null && count != 1) {
      throw new IllegalArgumentException("--stream-id names a single input, but " + count
          + " were given: each video or folder is named after its file");
    }
    List<StreamInput> inputs = new ArrayList<>();
    try {
      for (Path video : videos) {
        inputs.add(new StreamInput(name(video), new VideoFileSource(video, fps), FrameEncoding.JPEG));
      }
      for (Path folder : folders) {
        inputs.add(new StreamInput(name(folder), new ImageFolderSource(folder, fps), FrameEncoding.JPEG));
      }
      WorldConfig config = synthetic == 0 ? null
          : world == null ? SyntheticSource.worldOf(null)
          : world == World.HISTORY ? WorldConfig.historyWorld() : WorldConfig.defaults();
      for (int i = 0; i < synthetic; i++) {
        String id = streamId != null ? streamId : "sim-" + (i + 1);
        inputs.add(new StreamInput(id, new SyntheticSource(config, seed + i, frames, fps), FrameEncoding.PNG));
      }
    } catch (RuntimeException e) {
      inputs.forEach(i -> i.source().close());
      throw e;
    }
    return inputs;
  }

  private String name(Path input) {
    if (streamId != null) {
      return streamId;
    }
    String name = input.toAbsolutePath().normalize().getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
