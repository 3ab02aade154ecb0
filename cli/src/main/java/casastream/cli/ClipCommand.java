package casastream.cli;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ProgressBars;
import casastream.cli.tools.clip.ClipFetcher;
import casastream.cli.tools.clip.ClipRange;
import casastream.cli.tools.clip.ClipWriter;
import casastream.cli.tools.clip.EventLookup;
import casastream.cli.tools.frames.FrameImages;
import casastream.cli.tools.tail.TextEventFormat;
import casastream.operators.kafka.Topics;
import casastream.schemas.TextEvent;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./casa-stream clip EVENT_ID --out DIR}: the frames behind an event, as pictures and a video. */
@Command(
    name = "clip",
    mixinStandardHelpOptions = true,
    description = {
        "Writes the frames behind a text event as PNG files and one MP4.",
        "For an ALERT: the stream's frames since its answer last changed, up to the flip (at most 32);"
            + " for other events: the event's own frame. --before and --after add the stream's frames"
            + " around them. Reads the event and its frames from Kafka; says so when the frames have"
            + " expired from the topic."})
final class ClipCommand extends ToolCommand {

  @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The event's id (eventId in `tail --json`).")
  String eventId;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created if missing).")
  Path out;

  @Option(names = "--before", defaultValue = "0", paramLabel = "N",
      description = "Also this many of the stream's frames before them (default: ${DEFAULT-VALUE}).")
  int before;

  @Option(names = "--after", defaultValue = "0", paramLabel = "N",
      description = "Also this many of the stream's frames after them (default: ${DEFAULT-VALUE}).")
  int after;

  @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
  String bootstrap;

  @Option(names = "--events-topic", defaultValue = Topics.TEXT_EVENTS,
      description = "Topic of text events (default: ${DEFAULT-VALUE}); the frames' topic is the one the event names.")
  String eventsTopic;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  protected int run() throws Exception {
    if (before < 0 || after < 0 || before > ClipFetcher.MAX_AROUND || after > ClipFetcher.MAX_AROUND) {
      throw new IllegalArgumentException("--before and --after must be 0.." + ClipFetcher.MAX_AROUND);
    }
    KafkaAccess kafka = new KafkaAccess(bootstrap);
    TextEvent event = new EventLookup(kafka, eventsTopic).find(eventId);
    ClipRange range = ClipRange.of(event);
    List<ConsumerRecord<byte[], byte[]>> records = new ClipFetcher(kafka).fetch(range, before, after);
    ClipWriter.Result result;
    try (ProgressBar bar = quiet ? null : ProgressBars.onStderr("clip", records.size())) {
      result = new ClipWriter().write(records, out, bar);
    }
    Files.writeString(out.resolve("event.json"), TextEventFormat.JSON.format(event) + "\n", StandardCharsets.UTF_8);
    PrintWriter stdout = spec.commandLine().getOut();
    List<FrameImages.Picture> frames = result.frames();
    stdout.println("clip of " + event.getKind() + " " + event.getEventId() + " (" + event.getStreamId() + ", "
        + range.describe() + "): " + frames.size() + " frames, #" + frames.get(0).sequence() + ".."
        + "#" + frames.get(frames.size() - 1).sequence());
    stdout.println("  " + out.resolve("frame-0001.png") + " .. " + result.pictures().get(result.pictures().size() - 1).getFileName());
    stdout.println("  " + result.video() + " (" + result.fps() + " fps)");
    stdout.println("  " + out.resolve("event.json"));
    if (result.skipped() > 0) {
      stdout.println("  skipped " + result.skipped() + " record(s) the job would refuse, first: " + result.firstSkipReason());
    }
    int missing = range.frames() - countInRange(frames, range);
    if (missing > 0) {
      stdout.println("  " + missing + " of the event's " + range.frames() + " frames were not found in the topic");
    }
    stdout.flush();
    return 0;
  }

  private static int countInRange(List<FrameImages.Picture> frames, ClipRange range) {
    return (int) frames.stream()
        .filter(f -> f.offset() >= range.firstOffset() && f.offset() <= range.lastOffset()).count();
  }
}
