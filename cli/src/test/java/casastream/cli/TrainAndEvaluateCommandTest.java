package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.text.WorldTokenizer;
import casastream.model.world.ObjectType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainAndEvaluateCommandTest {

  @TempDir
  Path dir;

  @Test
  void trainingResumesFromItsRunDirectoryAndItsModelEvaluates() throws Exception {
    Path small = writeSmallModel();
    Path run = dir.resolve("run");
    String[] train = {"train", "--run", run.toString(), "--init-from", small.toString(), "--steps", "1", "--batch", "2",
        "--frames", "2", "--validation-streams", "1", "--validation-frames", "1"};
    assertThat(CasaStreamCli.execute(train)).isZero();
    assertThat(step(run)).isEqualTo(1);
    assertThat(CasaStreamCli.execute(train)).isZero();
    assertThat(step(run)).as("the second run resumed at step 1").isEqualTo(2);

    Path json = dir.resolve("eval.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", run.resolve("latest").toString(), "--seeds", "850000-850001",
        "--frames", "2", "--json", json.toString())).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    for (String key : new String[] {"caption_exact_match", "event_f1", "motion_f1", "yesno_accuracy"}) {
      assertThat(report.path(key).isNumber()).as(key).isTrue();
      assertThat(report.path("no_memory").path(key).isNumber()).as("no_memory " + key).isTrue();
      assertThat(report.path("no_gist").path(key).isNumber()).as("no_gist " + key).isTrue();
    }
    assertThat(report.path("frames").asLong()).isEqualTo(4);
    assertThat(report.path("decoder").asText()).isEqualTo("draft");

    Path plain = dir.resolve("eval-plain.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", run.resolve("latest").toString(), "--seeds", "850000-850001",
        "--frames", "2", "--decoder", "plain", "--json", plain.toString())).isZero();
    JsonNode plainReport = new ObjectMapper().readTree(plain.toFile());
    assertThat(plainReport.path("decoder").asText()).isEqualTo("plain");
    for (String key : new String[] {"caption_exact_match", "event_f1", "motion_f1", "yesno_accuracy"}) {
      assertThat(plainReport.path(key).asDouble()).as("the same texts, the same " + key).isEqualTo(report.path(key).asDouble());
    }
  }

  @Test
  void aModelGrownIntoTheHistoryWorldTrainsThereAndIsJudgedThereWithTheBlindControlAndWindows() throws Exception {
    Path small = writeSmallModel();
    Path run = dir.resolve("history-run");
    String[] train = {"train", "--run", run.toString(), "--init-from", small.toString(), "--world", "history", "--steps", "1",
        "--batch", "2", "--frames", "2", "--stream-frames", "4", "--validation-streams", "1", "--validation-frames", "2"};
    assertThat(CasaStreamCli.execute(train)).isZero();
    JsonNode config = new ObjectMapper().readTree(run.resolve("latest").resolve("config.json").toFile());
    assertThat(config.path("tokenizer").asText()).isEqualTo(WorldTokenizer.history().name());
    assertThat(config.path("gistRecurrence").asBoolean()).isTrue();
    assertThat(CasaStreamCli.execute(train)).as("resumed in its own world").isZero();
    assertThat(step(run)).isEqualTo(2);

    Path json = dir.resolve("history.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", run.resolve("latest").toString(), "--seeds", "850000-850001",
        "--frames", "3", "--window", "2", "--json", json.toString())).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    for (String key : new String[] {"history_f1", "history_precision", "history_recall", "event_f1", "yesno_accuracy"}) {
      assertThat(report.path(key).isNumber()).as(key).isTrue();
      for (String ablation : new String[] {"no_memory", "no_gist", "no_image"}) {
        assertThat(report.path(ablation).path(key).isNumber()).as(ablation + " " + key).isTrue();
      }
    }
    assertThat(report.path("windows").path("1-2").path("frames").asLong()).isEqualTo(4);
    assertThat(report.path("windows").path("2-3").path("no_image").path("history_f1").isNumber()).isTrue();
    assertThat(report.path("memory_bytes").path("1").asInt()).isEqualTo(report.path("memory_bytes").path("3").asInt())
        .isPositive();
  }

  /** SIGTERM (what Ctrl-C, kill and an orchestrator send) saves a checkpoint, and the process ends. */
  @Test
  void aTerminatedTrainingRunSavesItsCheckpointAndExits() throws Exception {
    Path small = writeSmallModel();
    Path run = dir.resolve("terminated-run");
    Path log = dir.resolve("train.log");
    Process training = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
        CasaStreamCli.class.getName(), "train", "--run", run.toString(), "--init-from", small.toString(),
        "--minutes", "10", "--batch", "2", "--frames", "2", "--validation-streams", "1", "--validation-frames", "1",
        "--checkpoint-minutes", "10", "--validate-minutes", "10")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("train (")) {
        assertThat(training.isAlive()).as("training ended early:%n%s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("training did not start:%n%s", Files.readString(log)).isLessThan(deadline);
        Thread.sleep(200);
      }
      Thread.sleep(2_000);

      training.destroy();

      assertThat(training.waitFor(60, TimeUnit.SECONDS)).as("ended within 60 s of SIGTERM:%n%s", Files.readString(log))
          .isTrue();
    } finally {
      training.destroyForcibly();
    }
    assertThat(Files.readString(log)).contains("stopped at step");
    assertThat(run.resolve("latest").resolve("model.safetensors")).exists();
  }

  @Test
  void evaluatingOnTrainingSeedsIsRefused() throws Exception {
    Path small = writeSmallModel();
    Path json = dir.resolve("x.json");
    CliRun accepted = CliRun.of("evaluate", "--model", small.toString(), "--seeds", "850000-850000", "--frames", "1",
        "--json", json.toString());
    assertThat(accepted.exitCode()).as("the same model on a test seed: %s", accepted.err()).isZero();

    for (String seeds : new String[] {"0-9", "799999-800001"}) {
      CliRun refused = CliRun.of("evaluate", "--model", small.toString(), "--seeds", seeds, "--frames", "1",
          "--json", dir.resolve("refused.json").toString());
      assertThat(refused.exitCode()).as(seeds).isEqualTo(ToolCommand.FAILED);
      assertThat(refused.err()).contains("seeds " + seeds + " are training seeds: evaluate on validation");
      assertThat(dir.resolve("refused.json")).doesNotExist();
    }
  }

  @Test
  void theControlsScoredBesideTheFullMemoryAreChosenAndAnUnknownOneIsNamed() throws Exception {
    Path small = writeSmallModel();
    Path all = dir.resolve("all.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", small.toString(), "--seeds", "850000-850001", "--frames", "2",
        "--json", all.toString())).isZero();
    Path some = dir.resolve("some.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", small.toString(), "--seeds", "850000-850001", "--frames", "2",
        "--controls", "no_gist", "--json", some.toString())).isZero();
    Path none = dir.resolve("none.json");
    assertThat(CasaStreamCli.execute("evaluate", "--model", small.toString(), "--seeds", "850000-850001", "--frames", "2",
        "--controls", "none", "--json", none.toString())).isZero();
    JsonNode allReport = new ObjectMapper().readTree(all.toFile());
    JsonNode someReport = new ObjectMapper().readTree(some.toFile());
    JsonNode noneReport = new ObjectMapper().readTree(none.toFile());
    assertThat(allReport.has("no_memory") && allReport.has("no_gist") && allReport.has("no_image")).isTrue();
    assertThat(someReport.has("no_gist")).isTrue();
    assertThat(someReport.has("no_memory") || someReport.has("no_image")).isFalse();
    assertThat(noneReport.has("no_memory") || noneReport.has("no_gist") || noneReport.has("no_image")).isFalse();
    for (String key : new String[] {"caption_exact_match", "event_f1", "motion_f1", "yesno_accuracy"}) {
      // each row decodes on its own: the full memory's texts do not depend on the controls beside it
      assertThat(noneReport.path(key).asDouble()).as(key).isEqualTo(allReport.path(key).asDouble());
      assertThat(someReport.path("no_gist").path(key).asDouble()).as("no_gist " + key)
          .isEqualTo(allReport.path("no_gist").path(key).asDouble());
    }

    Path refused = dir.resolve("refused.json");
    CliRun unknown = CliRun.of("evaluate", "--model", small.toString(), "--seeds", "850000-850000", "--frames", "1",
        "--controls", "no_gist,blind", "--json", refused.toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("unknown control 'blind'").contains("no_memory, no_gist, no_image, or none");
    assertThat(refused).doesNotExist();
  }

  /** Writes a freshly initialised model of {@link #smallConfig()} under the test's directory. */
  private Path writeSmallModel() throws Exception {
    Path small = dir.resolve("small");
    try (CasaModel model = CasaModel.create(smallConfig(), 3)) {
      model.save(small, SafeTensors.DType.F32);
    }
    return small;
  }

  /** The world's 64x64 frames with a model small enough to train in a test: 16 image tokens, width 32. */
  private static CasaConfig smallConfig() {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    return new CasaConfig(CasaConfig.FORMAT_VERSION, 64, 16, 4, 32, 2, 2, 1, 2, FusionLayout.PARALLEL, 2, false,
        FusionContext.TEXT_AND_IMAGE, false, ObjectType.COUNT, 2, 16, 20, 12, tokenizer.vocabSize(), tokenizer.name(),
        MemoryPrecision.FP16, 10_000);
  }

  private static long step(Path run) throws Exception {
    return new ObjectMapper().readTree(Files.readString(run.resolve("latest").resolve("training.json"))).path("step").asLong();
  }
}
