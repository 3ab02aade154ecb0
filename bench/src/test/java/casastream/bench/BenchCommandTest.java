package casastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CasaStreamCli;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.text.WorldTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench memory --quick} on a small real CASA checkpoint and the real insertion baseline;
 * {@code bench sql --quick} on the shipped model.
 */
class BenchCommandTest {

  static {
    // One intra-op thread, unless the engine already started: two spinning threads collapse on a busy 2-core machine.
    System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
  }

  @TempDir
  Path dir;

  /** The shipped design's code paths at 16x16 pixels and short segments, so the walk takes seconds. */
  private static Path smallCheckpoint(Path dir) throws Exception {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    CasaConfig config = new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
        FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
        3, 2, 4, 4, 16, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP16, 10_000);
    try (CasaModel model = CasaModel.create(config, 3)) {
      model.save(dir, SafeTensors.DType.F32);
    }
    return dir;
  }

  @Test
  void quickMemoryBenchmarkWritesAlignedArraysWithCasaFlatAndInsertionGrowing() throws Exception {
    Path model = smallCheckpoint(dir.resolve("model"));
    Path json = dir.resolve("memory.json");

    int exit = runQuietly("bench", "memory", "--quick", "--json", json.toString(), "--model", model.toString());

    assertThat(exit).isZero();
    JsonNode memory = new ObjectMapper().readTree(json.toFile()).path("benchmarks").get(0);
    assertThat(memory.path("name").asText()).isEqualTo("memory");
    JsonNode frames = memory.path("frames");
    JsonNode casa = memory.path("casa_bytes");
    JsonNode insertion = memory.path("insertion_bytes");
    assertThat(frames.size()).isEqualTo(MemoryBenchmark.QUICK_FRAMES.size());
    assertThat(casa.size()).isEqualTo(frames.size());
    assertThat(insertion.size()).isEqualTo(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).asLong()).isEqualTo(MemoryBenchmark.QUICK_FRAMES.get(i));
      assertThat(casa.get(i).asLong()).as("CASA memory at frame %d", frames.get(i).asLong())
          .isEqualTo(casa.get(0).asLong());
    }
    assertThat(insertion.get(2).asLong()).isGreaterThan(50 * insertion.get(0).asLong());
    assertThat(memory.path("targets").get(0).path("met").asBoolean()).isTrue();
    assertThat(memory.path("parameters").path("decoder").asText()).isEqualTo("draft");
  }

  /** Both decoders at every batch size of the shipped model, named in the JSON. */
  @Test
  void quickBatchingBenchmarkTimesTheDraftAndThePlainDecoderAtEveryBatchSize() throws Exception {
    Path json = dir.resolve("batching.json");

    int exit = runQuietly("bench", "batching", "--quick", "--json", json.toString());

    assertThat(exit).isZero();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.path("decoder").asText()).isEqualTo("draft");
    JsonNode batching = root.path("benchmarks").get(0);
    assertThat(batching.path("parameters").path("decoder").asText()).isEqualTo("draft");
    assertThat(batching.path("parameters").path("baseline_decoder").asText()).isEqualTo("plain");
    assertThat(batching.path("batch_sizes").size()).isEqualTo(BatchingBenchmark.BATCHES.length);
    for (String series : new String[] {"frames_per_second", "frames_per_second_plain"}) {
      assertThat(batching.path(series).size()).as(series).isEqualTo(BatchingBenchmark.BATCHES.length);
      for (JsonNode fps : batching.path(series)) {
        assertThat(fps.asDouble()).as(series).isPositive();
      }
    }
    assertThat(batching.path("draft_over_plain_at_64").asDouble()).isPositive();
  }

  /**
   * The shipped model on the same frames through the DataStream job and CASA_STREAM, side by side
   * on one broker (each on its own MiniCluster, RocksDB, exactly-once sinks): the same caption for
   * every frame of every stream, memory carried; and both ML_PREDICT modes caption every frame.
   */
  @Test
  void quickSqlBenchmarkGivesTheJobsCaptionsThroughCasaStreamAndTimesEveryPath() throws Exception {
    Path json = dir.resolve("sql.json");

    int exit = runQuietly("bench", "sql", "--quick", "--json", json.toString());

    assertThat(exit).isZero();
    JsonNode sql = new ObjectMapper().readTree(json.toFile()).path("benchmarks").get(0);
    assertThat(sql.path("paths").asText())
        .isEqualTo("datastream-job,casa-stream-ptf,ml-predict-sync,ml-predict-async");
    assertThat(sql.path("ptf_captions_differing_from_job").asInt()).isZero();
    assertThat(sql.path("targets").get(0).path("met").asBoolean()).as(sql.toString()).isTrue();
    for (JsonNode fps : sql.path("frames_per_second")) {
      assertThat(fps.asDouble()).isPositive();
    }
    JsonNode perStep = sql.path("frames_per_model_step");
    assertThat(perStep.get(1).asDouble()).isEqualTo(1.0);
    assertThat(perStep.get(3).asDouble()).as("async ML_PREDICT batches").isGreaterThan(1.0);
  }

  /**
   * {@code bench job-levels --quick}: the whole job (broker, MiniCluster, RocksDB, exactly-once) at
   * 20 and 40 streams of 1 frame/s commits every frame, and splits the process's CPU into the model's
   * step, the job's own and the broker's.
   */
  @Test
  void quickJobLevelsBenchmarkCommitsEveryFrameAndSplitsTheCpuBetweenModelAndJob() throws Exception {
    Path json = dir.resolve("levels.json");

    int exit = runQuietly("bench", "job-levels", "--quick", "--json", json.toString());

    assertThat(exit).isZero();
    JsonNode levels = new ObjectMapper().readTree(json.toFile()).path("benchmarks").get(0);
    assertThat(levels.path("streams").toString()).isEqualTo("[20,40]");
    for (int i = 0; i < 2; i++) {
      assertThat(levels.path("committed").get(i).asLong()).as(levels.toString())
          .isEqualTo(levels.path("sent").get(i).asLong()).isPositive();
      assertThat(levels.path("dropped_stale").get(i).asLong()).isZero();
      assertThat(levels.path("model_cpu_us_per_frame").get(i).asDouble()).as("the model's step costs CPU")
          .isGreaterThan(100);
      assertThat(levels.path("job_cpu_us_per_frame").get(i).asDouble()).isPositive();
      assertThat(levels.path("broker_cpu_us_per_frame").get(i).asDouble()).isPositive();
    }
    // whether a level counts as kept up also depends on its p99 latency, a matter of the machine's load
    assertThat(levels.path("most_streams_kept_up").asInt()).isIn(0, 20, 40);
    assertThat(levels.path("cpu_level_job_threads_us_per_frame").has("CASA inference")).as(levels.toString()).isTrue();
  }

  @Test
  void unknownBenchmarkIsAUsageErrorThatListsTheNames() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(CasaStreamCli.execute("bench", "no-such", "--json", dir.resolve("x.json").toString())).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such").contains("latency-vs-history");
  }

  private static int runQuietly(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      return CasaStreamCli.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
