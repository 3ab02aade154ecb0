package casastream.cli;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.StopSignal;
import casastream.cli.tools.tail.CommittedTextEvents;
import casastream.cli.tools.tail.TextEventFilter;
import casastream.cli.tools.tail.TextEventFormat;
import casastream.operators.kafka.Topics;
import casastream.schemas.TextEventKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream tail}: prints text events as the job commits them. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
        "Prints text events as the job commits them.",
        "Reads with read_committed: what downstream consumers see. Ctrl-C stops it."})
final class TailCommand extends ToolCommand {

  @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
  String bootstrap;

  @Option(names = "--topic", defaultValue = Topics.TEXT_EVENTS, description = "Topic of text events (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--stream", split = ",", paramLabel = "ID",
      description = "Only these streams; an id ending in * is a prefix (e.g. dock-*). Repeatable.")
  List<String> streams = List.of();

  @Option(names = "--kind", split = ",", paramLabel = "KIND",
      description = "Only these kinds: ${COMPLETION-CANDIDATES}. Repeatable.")
  List<TextEventKind> kinds = List.of();

  @Option(names = "--json", description = "One JSON object per event (TextEvent field names) instead of text.")
  boolean json;

  @Option(names = "--from-beginning", description = "Print the topic's history first, not only new events.")
  boolean fromBeginning;

  @Option(names = "--max", defaultValue = "0", description = "Stop after this many events; 0 for no limit.")
  long max;

  @Option(names = "--timeout", defaultValue = "0", paramLabel = "SECONDS",
      description = "Stop after this many seconds; 0 to run until Ctrl-C.")
  long timeoutSeconds;

  @Override
  protected int run() {
    if (max < 0 || timeoutSeconds < 0) {
      throw new IllegalArgumentException("--max and --timeout must be 0 or more");
    }
    TextEventFilter filter = new TextEventFilter(new LinkedHashSet<>(streams), new LinkedHashSet<>(kinds));
    TextEventFormat format = json ? TextEventFormat.JSON : TextEventFormat.HUMAN;
    PrintWriter out = spec.commandLine().getOut();
    long deadline = timeoutSeconds == 0 ? Long.MAX_VALUE
        : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    try (StopSignal stop = StopSignal.onCtrlC();
        CommittedTextEvents events = new CommittedTextEvents(new KafkaAccess(bootstrap), topic, fromBeginning)) {
      stop.onStop(events::wakeup);
      events.forEach(filter, max, () -> stop.getAsBoolean() || System.nanoTime() > deadline, event -> {
        out.println(format.format(event));
        out.flush();
      });
    }
    return 0;
  }
}
