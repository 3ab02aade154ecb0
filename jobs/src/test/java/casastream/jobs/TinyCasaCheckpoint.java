package casastream.jobs;

import ai.djl.ndarray.NDArray;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.nn.NoGrad;
import casastream.model.text.WorldTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A small, seeded CASA checkpoint for tests: the shipped design's code paths (vision stem, CASA
 * fusion, gist memory, batched greedy decoding) at 16x16 pixels and 4-token captions, so a job
 * test runs the real model in seconds on a CPU.
 *
 * <p>Its weights (all but the norms) are scaled up tenfold: at the initial scale a random model
 * only repeats the marker token it was fed, whatever the frame and memory, and a test comparing its text
 * would prove nothing. Scaled, seed 7 writes texts that change with the frame and, for most
 * frames, with the stream's memory.
 */
final class TinyCasaCheckpoint {

  private TinyCasaCheckpoint() {}

  static CasaConfig config() {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    return new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
        FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
        3, 2, 4, 4, 16, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP32, 10_000);
  }

  private static final long SEED = 7;
  private static final float WEIGHT_SCALE = 10f;

  /** Writes the checkpoint (config.json + model.safetensors) into {@code dir} and returns it. */
  static Path writeTo(Path dir) throws IOException {
    try (CasaModel model = CasaModel.create(config(), SEED)) {
      try (NoGrad ignored = NoGrad.enter()) { // in-place updates of parameters
        for (Map.Entry<String, NDArray> parameter : model.parameters().all().entrySet()) {
          if (!parameter.getKey().contains("norm")) {
            parameter.getValue().muli(WEIGHT_SCALE);
          }
        }
      }
      model.save(dir, SafeTensors.DType.F32);
    }
    return dir;
  }

  /** A frame that differs from its neighbours: one colour with a square of the opposite colour. */
  static byte[] frame(int size, long seed) {
    Random random = new Random(seed);
    int[] colour = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
    int side = size / 3;
    int x0 = random.nextInt(size - side);
    int y0 = random.nextInt(size - side);
    byte[] rgb = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean inSquare = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        for (int c = 0; c < 3; c++) {
          rgb[3 * (y * size + x) + c] = (byte) (inSquare ? 255 - colour[c] : colour[c]);
        }
      }
    }
    return rgb;
  }
}
