package casastream.bench;

import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.decode.Decoding;
import casastream.model.text.WorldTokenizer;
import casastream.operators.inference.CasaFrameModel;
import casastream.operators.inference.FrameModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which CASA model the benchmarks run: a checkpoint directory, else the model shipped in the jar,
 * else the default {@link CasaConfig} with seeded random weights. Speed and memory do not depend
 * on the weights, only on the config; caption lengths (and so decode steps) do, which the
 * benchmarks count instead of assuming.
 */
public final class ModelSource {

  /** Seed of the random weights used when no trained model is available. */
  public static final long RANDOM_SEED = 7;

  private final Path checkpoint;
  private final boolean shipped;

  private ModelSource(Path checkpoint, boolean shipped) {
    this.checkpoint = checkpoint;
    this.shipped = shipped;
  }

  /** The checkpoint in {@code dir} when given, else the shipped model when present, else random weights. */
  public static ModelSource choose(Path dir) {
    if (dir != null) {
      if (!Checkpoint.exists(dir)) {
        throw new IllegalArgumentException("--model " + dir + " is not a CASA checkpoint: it must hold "
            + Checkpoint.CONFIG_FILE + " and " + Checkpoint.WEIGHTS_FILE);
      }
      return new ModelSource(dir, false);
    }
    return new ModelSource(null, shippedPresent());
  }

  private static boolean shippedPresent() {
    try (InputStream in = Checkpoint.class.getResourceAsStream(Checkpoint.SHIPPED_RESOURCE + Checkpoint.CONFIG_FILE)) {
      return in != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Loads a fresh instance of the model; the caller closes it. */
  public CasaModel open() {
    if (checkpoint != null) {
      return CasaModel.load(checkpoint);
    }
    return shipped ? CasaModel.loadShipped() : CasaModel.create(CasaConfig.defaults(WorldTokenizer.instance()), RANDOM_SEED);
  }

  /** The model behind the job's inference interface (memory in and out as bytes), as the operator runs it. */
  public FrameModel openFrameModel(Decoding decoding) {
    return new CasaFrameModel(open(), "bench-" + describe().hashCode(), decoding);
  }

  /**
   * A checkpoint directory of this model for the job, which loads models from a path: the given
   * one, or the model written into {@code scratch}.
   */
  public Path checkpointDir(Path scratch) throws IOException {
    if (checkpoint != null) {
      return checkpoint;
    }
    Files.createDirectories(scratch);
    try (CasaModel model = open()) {
      model.save(scratch, SafeTensors.DType.F32);
    }
    return scratch;
  }

  /** Says which model ran, for the report. */
  public String describe() {
    if (checkpoint != null) {
      return "checkpoint " + checkpoint.toAbsolutePath();
    }
    return shipped ? "the shipped checkpoint" : "default CasaConfig with random weights (seed " + RANDOM_SEED
        + "; no shipped checkpoint in this build)";
  }
}
