package casastream.cli;

import casastream.cli.embedded.DemoCluster;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.jobs.CasaStreamJob;
import casastream.model.decode.Decoding;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.InferenceSettings;
import casastream.sql.CasaTables;
import casastream.sql.ptf.CasaStreamFunction;
import casastream.sql.SqlScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.internal.TableResultInternal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.utils.print.PrintStyle;
import org.apache.flink.table.utils.print.TableauStyle;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./casa-stream sql -f FILE.sql}: a Flink SQL script over the job's topics, on an embedded MiniCluster. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a Flink SQL script on an embedded MiniCluster, with the job's topics as tables:",
        "  frames       the frames (stream_id, sequence, capture_time, encoding, width, height, image,"
            + " image_uri, attributes)",
        "  text_events  what the job wrote (event_id, stream_id, frame_sequence, capture_time, emit_time,"
            + " kind, text, query_id, model_id, processing_latency_millis, source, alert_frames)",
        "both with kafka_topic, kafka_partition, kafka_offset, kafka_timestamp and a watermark on capture_time; reads"
            + " see only committed messages. SELECT results are printed as they come; --bounded reads"
            + " the topics as they stand and ends.",
        "CASA_STREAM(input => TABLE frames PARTITION BY stream_id, questions => ARRAY['is there a red circle ?'])"
            + " runs the model over the frames, each stream with its memory, and gives the job's text events."})
final class SqlCommand extends ToolCommand {

  /** Captions are sentences: printed tables show them whole up to this width. */
  private static final int MAX_COLUMN_WIDTH = 200;
  /** Rows printed as they come cannot size columns by content: this is each text column's width. */
  private static final int FOLLOWING_COLUMN_WIDTH = 60;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE.sql", description = "The script; statements end with ';'.")
  Path file;

  @Option(names = {"-e", "--execute"}, paramLabel = "STATEMENTS", description = "Statements given inline instead of -f.")
  String inline;

  @Option(names = "--bootstrap", defaultValue = KafkaAccess.DEFAULT_BOOTSTRAP,
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the broker `demo` embeds).")
  String bootstrap;

  @Option(names = "--bounded",
      description = "Read the topics up to where they are when each query starts, then end (default: follow them).")
  boolean bounded;

  @Option(names = "--model", paramLabel = "DIR",
      description = "The CASA checkpoint CASA_STREAM runs (default: the shipped model).")
  Path model;

  @Option(names = "--decoder", defaultValue = "draft", paramLabel = "plain|draft",
      description = "How CASA_STREAM's model decodes: draft checks each stream's last texts as a draft and lets"
          + " finished streams leave the batch; plain decodes token by token. Both write the same texts"
          + " (default: ${DEFAULT-VALUE}).")
  String decoder;

  @Option(names = "--checkpoint-interval", defaultValue = "2", paramLabel = "SECONDS",
      description = "How often INSERT INTO text_events commits (exactly-once; default: ${DEFAULT-VALUE}).")
  double checkpointSeconds;

  @Override
  protected int run() throws Exception {
    List<String> statements = SqlScript.statements(script());
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("The script has no statements");
    }
    if (!(checkpointSeconds > 0)) {
      throw new IllegalArgumentException("--checkpoint-interval must be more than 0 seconds");
    }
    Decoding decoding = CasaStreamJob.decoding("--decoder", decoder);
    KafkaAccess kafka = new KafkaAccess(bootstrap);
    kafka.requireReachable();
    Path work = Files.createTempDirectory("casa-stream-sql");
    try {
      Configuration conf = DemoCluster.configuration(0, "localhost", work);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
      env.enableCheckpointing(Duration.ofMillis(Math.round(checkpointSeconds * 1000)).toMillis());
      env.setParallelism(1);
      StreamTableEnvironment sql = StreamTableEnvironment.create(env);
      CasaTables.register(sql, kafka.bootstrapServers(), bounded, "casa-stream-sql-" + UUID.randomUUID());
      sql.createTemporarySystemFunction(CasaStreamFunction.NAME,
          new CasaStreamFunction(modelFactory(decoding), InferenceSettings.builder().build()));
      PrintWriter out = spec.commandLine().getOut();
      for (int i = 0; i < statements.size(); i++) {
        execute(sql, statements.get(i), i + 1, out);
      }
      return 0;
    } finally {
      deleteQuietly(work);
    }
  }

  private void execute(StreamTableEnvironment sql, String statement, int number, PrintWriter out) throws Exception {
    TableResult result;
    try {
      result = sql.executeSql(statement);
    } catch (RuntimeException e) {
      throw new ToolException("statement " + number + " (" + firstLine(statement) + "): " + ToolException.rootMessage(e)
          + hint(statement, e), e);
    }
    boolean query = result.getJobClient().isPresent();
    if (query && isInsert(statement)) {
      out.println("statement " + number + ": writing as Flink job " + result.getJobClient().get().getJobID());
      out.flush();
      result.await();
      out.println("statement " + number + ": done");
    } else if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
      print(result, query, out);
    }
    out.flush();
  }

  /**
   * The rows as a table: with --bounded, columns as wide as their content (the rows are all
   * there first); following the topics, rows as they come, columns as wide as their types allow.
   * Query rows show their change kind (+I, -U, +U).
   */
  private void print(TableResult result, boolean query, PrintWriter out) throws Exception {
    if (!(result instanceof TableResultInternal internal)) {
      result.print();
      return;
    }
    TableauStyle style = bounded || !query
        ? PrintStyle.tableauWithDataInferredColumnWidths(result.getResolvedSchema(),
            internal.getRowDataToStringConverter(), MAX_COLUMN_WIDTH, false, query)
        : PrintStyle.tableauWithTypeInferredColumnWidths(result.getResolvedSchema(),
            internal.getRowDataToStringConverter(), FOLLOWING_COLUMN_WIDTH, false, true);
    try (CloseableIterator<RowData> rows = internal.collectInternal()) {
      style.print(rows, out);
    }
  }

  /** The model CASA_STREAM loads, its config read now so that a missing or bad one fails here, clearly. */
  private FrameModelFactory modelFactory(Decoding decoding) {
    if (model == null) {
      return CasaFrameModelFactory.shipped().withDecoding(decoding);
    }
    try {
      CasaFrameModelFactory factory = CasaFrameModelFactory.fromCheckpoint(model).withDecoding(decoding);
      factory.imageSize();
      return factory;
    } catch (RuntimeException e) {
      throw new ToolException("Cannot use the model in " + model + ": " + ToolException.rootMessage(e)
          + "; give --model DIR, a folder with config.json and model.safetensors", e);
    }
  }

  private String script() throws IOException {
    if ((file == null) == (inline == null)) {
      throw new IllegalArgumentException("Give the script with -f FILE.sql or the statements with -e, one of them");
    }
    if (inline != null) {
      return inline;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ToolException("No SQL script " + file);
    }
  }

  /**
   * What to do instead, where Flink's planner fails without saying why: an INSERT with a column
   * list whose query reads a process table function directly (Calcite's "resolvedNamespace is
   * null") plans fine when the function's query is a view.
   */
  private static String hint(String statement, RuntimeException e) {
    boolean ptfInsert = isInsert(statement)
        && SqlScript.withoutComments(statement).toUpperCase(Locale.ROOT).contains(CasaStreamFunction.NAME);
    if (ptfInsert && String.valueOf(ToolException.rootMessage(e)).contains("resolvedNamespace")) {
      return ". Flink 2.2 cannot plan an INSERT with a column list that reads " + CasaStreamFunction.NAME
          + " directly: declare its query as a view (CREATE TEMPORARY VIEW casa AS SELECT ... FROM "
          + CasaStreamFunction.NAME + "(...)) and INSERT INTO ... (columns) SELECT * FROM casa";
    }
    return "";
  }

  private static boolean isInsert(String statement) {
    String text = SqlScript.withoutComments(statement).strip().toUpperCase(Locale.ROOT);
    return text.startsWith("INSERT") || text.startsWith("EXECUTE");
  }

  private static String firstLine(String statement) {
    return statement.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("--")).findFirst().orElse("").strip();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Only a temporary directory left behind.
    }
  }
}
