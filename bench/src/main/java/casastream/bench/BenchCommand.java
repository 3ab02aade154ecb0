package casastream.bench;

import casastream.cli.ToolCommand;
import casastream.cli.tools.ToolException;
import casastream.jobs.CasaStreamJob;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./casa-stream bench <name> [--quick] --json FILE}: runs one benchmark (or {@code all}),
 * prints each result as a table as soon as it is ready and writes every figure with its
 * parameters as JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Measures memory, latency, batching, roofline, the pipeline, many streams and capacity.",
        "Benchmarks: memory, latency-vs-history, batching, decoders, roofline, profile, pipeline,"
            + " pipeline-overhead, many-streams, sql, capacity, or all of these; soak (20 minutes of steady load, --quick: 2) and cluster-scale (1 and 2"
            + " TaskManager processes) run only by name."
    })
public final class BenchCommand extends ToolCommand {

  @Parameters(index = "0", paramLabel = "<name>", description = "The benchmark to run, or all.")
  private String name;

  @Option(names = "--quick", description = "Smaller sizes: every benchmark in a few minutes, for a smoke check.")
  private boolean quick;

  @Option(names = "--json", required = true, paramLabel = "FILE", description = "Where to write the results as JSON.")
  private Path json;

  @Option(names = "--model", paramLabel = "DIR",
      description = "CASA checkpoint directory (default: the shipped model, else the default config with random weights).")
  private Path model;

  @Option(names = "--decoder", defaultValue = "draft", paramLabel = "plain|draft",
      description = "How the model decodes in every benchmark but batching, which runs both: draft (checks each"
          + " stream's last texts as a draft, lets finished streams leave the batch) or plain (token by token)."
          + " Default: ${DEFAULT-VALUE}.")
  private String decoder;

  @Override
  protected int run() throws Exception {
    BenchSuite suite = BenchSuite.standard();
    suite.select(name); // refuses an unknown name before any work starts
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new ToolException("--json " + json + ": folder " + parent + " does not exist; create it or write elsewhere");
    }
    BenchContext context = new BenchContext(quick, ModelSource.choose(model), spec.commandLine().getErr(),
        CasaStreamJob.decoding("--decoder", decoder));
    context.progress("bench: model = %s, %s decoder", context.model().describe(), context.decoding().id());
    ObjectNode results = suite.run(name, context, result -> ResultTable.print(result, spec.commandLine().getOut()));
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
    } catch (IOException e) {
      throw new ToolException("cannot write the results to " + json + ": " + e.getMessage(), e);
    }
    context.progress("bench: results written to %s", json);
    return 0;
  }
}
