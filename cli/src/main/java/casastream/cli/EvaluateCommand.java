package casastream.cli;

import casastream.cli.tools.ToolException;
import casastream.jobs.CasaStreamJob;
import casastream.model.CasaModel;
import casastream.model.ModelFormatException;
import casastream.model.decode.Decoding;
import casastream.model.eval.EvaluationReport;
import casastream.model.eval.MemoryAblation;
import casastream.model.eval.StreamingEvaluator;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./casa-stream evaluate}: streams of held-out camera-world frames decoded the way the job
 * runs them, scored with the full memory and with it masked (no_memory) or its gist entries masked
 * (no_gist), and blind (no_image: every frame's image tokens hidden).
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Scores a model by streaming greedy decoding on held-out camera-world streams: caption exact match,",
      "event F1, motion F1 and yes/no accuracy (and history F1 for a model of the history world), with the full memory,",
      "no memory, no past gist entries, and no image (the blind control: what priors alone give)."
    })
final class EvaluateCommand extends ToolCommand {

  @Option(names = "--model", paramLabel = "DIR", description = "Checkpoint directory (default: the shipped model).")
  Path model;

  @Option(names = "--seeds", paramLabel = "FROM-TO", required = true,
      description = "Inclusive range of world seeds, e.g. 850000-850199 (test seeds are 850000-899999).")
  String seeds;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "50", description = "Frames per stream. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(names = "--json", paramLabel = "FILE", required = true, description = "Where to write the figures as JSON.")
  Path json;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
      description = "Streams decoded together in one batch. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--decoder", defaultValue = "draft", paramLabel = "plain|draft",
      description = "How the model decodes: draft (checks each stream's last texts as a draft, lets finished streams"
          + " leave the batch) or plain (token by token); the texts, hence the figures, are the same."
          + " Default: ${DEFAULT-VALUE}.")
  String decoder;

  @Option(names = "--window", paramLabel = "N", defaultValue = "0",
      description = {"Also report the first and the last N frames of the streams on their own (e.g. 1-50 and 951-1000),",
          "to see whether quality holds up in long streams. Default: ${DEFAULT-VALUE} (none)."})
  int window;

  @Option(names = "--controls", paramLabel = "LIST", defaultValue = "no_memory,no_gist,no_image", split = ",",
      description = {"The controls scored beside the full memory, on the same frames: no_memory, no_gist, no_image,",
          "or none (the full memory alone, in about a fifth of the time). Default: ${DEFAULT-VALUE}."})
  List<String> controls;

  @Override
  protected int run() throws Exception {
    long[] range = parseSeeds(seeds);
    Decoding decoding = CasaStreamJob.decoding("--decoder", decoder);
    if (frames < 1 || batch < 1 || window < 0) {
      throw new IllegalArgumentException("--frames and --batch must be at least 1, --window at least 0");
    }
    if (SeedRanges.TRAIN.contains(range[0]) || SeedRanges.TRAIN.contains(range[1])) {
      throw new ToolException("seeds " + seeds + " are training seeds: evaluate on validation (" + SeedRanges.VALIDATION
          + ") or test (" + SeedRanges.TEST + ") seeds");
    }
    List<MemoryAblation> ablations = ablations(controls);
    List<Long> streamSeeds = LongStream.rangeClosed(range[0], range[1]).boxed().toList();
    long started = System.nanoTime();
    StreamingEvaluator.Result result;
    try (CasaModel casa = CasaModel.loadOrShipped(model);
         ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate").setStyle(ProgressBarStyle.ASCII)
             .setInitialMax((long) streamSeeds.size() * frames).setUnit(" frames", 1).build()) {
      // the world the model's vocabulary was made for: a model that knows the history words is judged on the history world
      result = new StreamingEvaluator(casa, WorldConfig.forVocabulary(casa.tokenizer()), batch, decoding)
          .evaluate(streamSeeds, frames, window, ablations, bar::stepTo);
    } catch (ModelFormatException | UncheckedIOException e) {
      throw new ToolException(ToolException.rootMessage(e), e);
    }
    EvaluationReport report = EvaluationReport.of(model == null ? "shipped" : model.toString(), seeds,
        streamSeeds.size(), frames, (System.nanoTime() - started) / 1e9, result);
    System.out.println(report.table());
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, report.json(), StandardCharsets.UTF_8);
    return 0;
  }

  /** The full memory, then the named controls in the order given; "none" names no control. */
  static List<MemoryAblation> ablations(List<String> controls) {
    List<MemoryAblation> out = new ArrayList<>(List.of(MemoryAblation.FULL));
    if (controls.size() == 1 && controls.get(0).trim().equals("none")) {
      return out;
    }
    List<MemoryAblation> known = Arrays.stream(MemoryAblation.values()).filter(a -> a != MemoryAblation.FULL).toList();
    for (String control : controls) {
      String key = control.trim();
      MemoryAblation ablation = known.stream().filter(a -> a.key().equals(key)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--controls: unknown control '" + key + "'; known: "
              + String.join(", ", known.stream().map(MemoryAblation::key).toList()) + ", or none"));
      if (out.contains(ablation)) {
        throw new IllegalArgumentException("--controls names " + key + " twice");
      }
      out.add(ablation);
    }
    return out;
  }

  private static long[] parseSeeds(String text) {
    String[] parts = text.split("-");
    try {
      long from = Long.parseLong(parts[0].trim());
      long to = parts.length == 2 ? Long.parseLong(parts[1].trim()) : from;
      if (parts.length > 2 || from < 0 || to < from) {
        throw new NumberFormatException(text);
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds must be FROM-TO with 0 <= FROM <= TO, e.g. 850000-850199; got " + text);
    }
  }
}
