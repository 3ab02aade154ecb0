package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.memory.StreamMemory;
import casastream.model.nn.NoGrad;
import casastream.model.text.WorldTokenizer;
import casastream.operators.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CASA model behind the operator's interface: a tiny seeded model, saved and loaded as a checkpoint. */
class CasaFrameModelTest {

  @TempDir
  static Path checkpoint;

  private static CasaConfig config;
  private static FrameModel model;

  /** 16x16 frames, width 32, 2 decoder layers, 4-token captions: the shipped design's code paths, fast. */
  static CasaConfig tinyConfig() {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    return new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
        FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
        3, 2, 4, 4, 16, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP32, 10_000);
  }

  /** Two streams run together for two frames, and stream 1 run again alone: four model steps in all. */
  private static List<StreamResult> batchedFirst;
  private static List<StreamResult> batchedSecond;
  private static List<StreamResult> aloneFirstAndSecond;

  private static final List<String> QUESTIONS = List.of("is there a red square?", "is there a blue circle?");

  @BeforeAll
  static void saveLoadAndRun() throws Exception {
    config = tinyConfig();
    try (CasaModel created = CasaModel.create(config, 7)) {
      // Scaled up, a random model's text depends on its frame and memory (see the jobs' TinyCasaCheckpoint).
      try (NoGrad ignored = NoGrad.enter()) { // in-place updates of parameters
        for (Map.Entry<String, NDArray> parameter : created.parameters().all().entrySet()) {
          if (!parameter.getKey().contains("norm")) {
            parameter.getValue().muli(10f);
          }
        }
      }
      created.save(checkpoint, SafeTensors.DType.F32);
    }
    model = CasaFrameModelFactory.fromCheckpoint(checkpoint).load(ComputeDevice.CPU);
    batchedFirst = model.step(List.of(
        new StreamRequest(null, frame(1), QUESTIONS),
        new StreamRequest(null, frame(2), List.of(QUESTIONS.get(0)))));
    batchedSecond = model.step(List.of(
        new StreamRequest(batchedFirst.get(0).memory(), frame(3), List.of()),
        new StreamRequest(batchedFirst.get(1).memory(), frame(4), List.of(QUESTIONS.get(0)))));
    StreamResult alone = model.step(List.of(new StreamRequest(null, frame(2), List.of(QUESTIONS.get(0))))).get(0);
    aloneFirstAndSecond = List.of(alone,
        model.step(List.of(new StreamRequest(alone.memory(), frame(4), List.of(QUESTIONS.get(0))))).get(0));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** One colour with a square of the opposite colour, placed by the seed. */
  private static byte[] frame(int seed) {
    Random random = new Random(seed);
    int size = config.imageSize();
    int[] colour = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
    int x0 = random.nextInt(size / 2);
    int y0 = random.nextInt(size / 2);
    byte[] rgb = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean inSquare = x >= x0 && x < x0 + size / 3 && y >= y0 && y < y0 + size / 3;
        for (int c = 0; c < 3; c++) {
          rgb[3 * (y * size + x) + c] = (byte) (inSquare ? 255 - colour[c] : colour[c]);
        }
      }
    }
    return rgb;
  }

  @Test
  void answersEveryQuestionAskedOfEachStreamWithYesOrNo() {
    assertThat(batchedFirst.get(0).answers()).hasSize(2).allSatisfy(a -> assertThat(a).isIn("yes", "no"));
    assertThat(batchedFirst.get(1).answers()).hasSize(1);
    assertThat(batchedSecond.get(0).answers()).isEmpty();
  }

  @Test
  void returnsAMemoryOfTheSameFixedSizeAfterEveryFrame() {
    int size = StreamMemory.byteSize(config);
    assertThat(batchedFirst).allSatisfy(r -> assertThat(r.memory()).hasSize(size));
    assertThat(batchedSecond).allSatisfy(r -> assertThat(r.memory()).hasSize(size));
  }

  @Test
  void givesAStreamTheSameTextAndMemoryBatchedWithOthersAsAlone() {
    for (int frame = 0; frame < 2; frame++) {
      StreamResult batched = (frame == 0 ? batchedFirst : batchedSecond).get(1);
      StreamResult alone = aloneFirstAndSecond.get(frame);
      assertThat(alone.caption()).isEqualTo(batched.caption());
      assertThat(alone.events()).isEqualTo(batched.events());
      assertThat(alone.answers()).isEqualTo(batched.answers());
    }
  }

  @Test
  void givesTheSameResultsToTwoThreadsSteppingAtOnce() throws Exception {
    List<StreamRequest> requests = List.of(new StreamRequest(null, frame(2), List.of(QUESTIONS.get(0))));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<StreamResult>> first = threads.submit(() -> model.step(requests));
      Future<List<StreamResult>> second = threads.submit(() -> model.step(requests));
      for (Future<List<StreamResult>> result : List.of(first, second)) {
        StreamResult text = result.get().get(0);
        assertThat(text.caption()).isEqualTo(aloneFirstAndSecond.get(0).caption());
        assertThat(text.answers()).isEqualTo(aloneFirstAndSecond.get(0).answers());
        assertThat(text.memory()).isEqualTo(aloneFirstAndSecond.get(0).memory());
      }
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void startsAStreamWithUnreadableMemoryAfreshInsteadOfFailingTheBatchAndSaysSo() {
    StreamRequest unreadable = new StreamRequest(new byte[] {1, 2, 3}, frame(2), List.of(QUESTIONS.get(0)));
    StreamRequest readable = new StreamRequest(batchedFirst.get(0).memory(), frame(3), List.of());
    List<StreamResult> results = model.step(List.of(unreadable, readable));

    // batched with another stream, the floats may differ in their last bits: the text may not
    assertThat(results.get(0).caption()).isEqualTo(aloneFirstAndSecond.get(0).caption());
    assertThat(results.get(0).answers()).isEqualTo(aloneFirstAndSecond.get(0).answers());
    assertThat(results.get(0).memoryReset()).isTrue();
    assertThat(results.get(1).memoryReset()).as("the other stream keeps its memory").isFalse();
    assertThat(results.get(1).caption()).isEqualTo(batchedSecond.get(0).caption());
    assertThat(batchedSecond).noneMatch(StreamResult::memoryReset);
  }

  @Test
  void loadsOntoTheCpuWhenTheCpuIsAsked() {
    try (FrameModel onCpu = CasaFrameModelFactory.fromCheckpoint(checkpoint).load(ComputeDevice.CPU)) {
      assertThat(onCpu.device()).isEqualTo(ComputeDevice.CPU);
      StreamResult result = onCpu.step(List.of(new StreamRequest(null, frame(2), List.of(QUESTIONS.get(0))))).get(0);
      assertThat(result.memory()).isEqualTo(aloneFirstAndSecond.get(0).memory());
    }
  }

  @Test
  void countsTheTextsItDecodedAndTheDraftsItTookForTheMetrics() throws java.io.IOException {
    try (FrameModel shipped = CasaFrameModelFactory.shipped().load(ComputeDevice.CPU)) {
      byte[] still = new casastream.model.world.CameraWorld(casastream.model.world.WorldConfig.forModel(
          casastream.model.checkpoint.Checkpoint.readShippedConfig()), 850_000)
          .next().rgb();
      StreamResult first = shipped.step(List.of(new StreamRequest(null, still, List.of()))).get(0);
      StreamResult second = shipped.step(List.of(new StreamRequest(first.memory(), still, List.of()))).get(0);

      assertThat(second.caption()).as("the same picture twice").isEqualTo(first.caption());
      assertThat(shipped.textsDecoded()).as("a caption and an events text per frame").isEqualTo(4);
      assertThat(shipped.draftsTaken()).as("the second frame's caption, its last one confirmed").isBetween(1L, 2L);
    }
  }

  @Test
  void reportsTheCpuAsItsDeviceOnAMachineWithoutAGpu() {
    assertThat(model.device()).isEqualTo(ComputeDevice.CPU);
  }

  @Test
  void refusesAFrameOfTheWrongSizeNamingTheExpectedSize() {
    assertThatThrownBy(() -> model.step(List.of(new StreamRequest(null, new byte[10], List.of()))))
        .hasMessageContaining("16x16");
  }

  @Test
  void refusesADirectoryWithoutACheckpoint(@TempDir Path empty) {
    assertThatThrownBy(() -> CasaFrameModelFactory.fromCheckpoint(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config.json");
  }
}
