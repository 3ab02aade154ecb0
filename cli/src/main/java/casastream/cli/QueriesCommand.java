package casastream.cli;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.queries.QuerySpecs;
import casastream.cli.tools.queries.StandingQueryClient;
import casastream.operators.kafka.Topics;
import casastream.schemas.AnswerMode;
import casastream.schemas.StandingQuery;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./casa-stream queries add|remove|list}: the standing questions on the control topic. */
@Command(
    name = "queries",
    mixinStandardHelpOptions = true,
    description = "Manages standing questions: the running job applies them without a restart.",
    subcommands = {QueriesCommand.Add.class, QueriesCommand.Remove.class, QueriesCommand.ListQueries.class})
final class QueriesCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    // No action given: list the queries, the harmless default.
    return spec.commandLine().execute("list");
  }

  /** Where the control topic lives; shared by the three actions. */
  static final class Target {
    @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = Topics.QUERIES, description = "Control topic (default: ${DEFAULT-VALUE}).")
    String topic;

    StandingQueryClient client() {
      return new StandingQueryClient(new KafkaAccess(bootstrap), topic);
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a standing question, or replaces the one with the same id.",
          "Yes/no questions raise an ALERT event on every stream whose answer flips."})
  static final class Add extends ToolCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "ID", description = "Query id, e.g. red-circle.")
    String queryId;

    @Parameters(index = "1", paramLabel = "QUESTION", description = "The question, e.g. \"is there a red circle ?\".")
    String question;

    @Option(names = "--mode", defaultValue = "YES_NO",
        description = "Answer mode: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    AnswerMode mode;

    @Option(names = "--streams", split = ",", paramLabel = "ID",
        description = "Only these streams, or one prefix ending in * (e.g. dock-*); default: every stream.")
    List<String> streams = List.of();

    @Option(names = "--every", defaultValue = "0", paramLabel = "SECONDS",
        description = "Emit the answer at most once per this many seconds; 0 (default) emits on change.")
    int everySeconds;

    @Override
    protected int run() {
      StandingQuery query = QuerySpecs.upsert(queryId, question, mode, streams, everySeconds);
      target.client().add(query);
      spec.commandLine().getOut().println("added  " + QuerySpecs.describe(query));
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a standing question.")
  static final class Remove extends ToolCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "ID", description = "Query id.")
    String queryId;

    @Override
    protected int run() {
      if (!target.client().remove(queryId)) {
        spec.commandLine().getErr().println("casa-stream queries remove: no active query " + queryId
            + " (see `./casa-stream queries list`)");
        return FAILED;
      }
      spec.commandLine().getOut().println("removed  " + queryId);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the active standing questions.")
  static final class ListQueries extends ToolCommand {
    @Mixin
    Target target;

    @Override
    protected int run() {
      List<StandingQuery> queries = target.client().list();
      PrintWriter out = spec.commandLine().getOut();
      if (queries.isEmpty()) {
        out.println("no standing questions (add one with `./casa-stream queries add ID \"QUESTION\"`)");
      }
      queries.forEach(q -> out.println(QuerySpecs.describe(q)));
      return 0;
    }
  }
}
