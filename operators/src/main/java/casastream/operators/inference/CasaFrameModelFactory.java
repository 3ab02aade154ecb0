package casastream.operators.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import casastream.model.CasaModel;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.decode.Decoding;
import casastream.operators.runtime.ComputeDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CASA model on a TaskManager: from a checkpoint directory ({@code config.json} +
 * {@code model.safetensors}) that every TaskManager can read, or the model shipped in the jar.
 */
public final class CasaFrameModelFactory implements FrameModelFactory {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CasaFrameModelFactory.class);

  /** Null for the shipped model. */
  private final String checkpointDir;
  private final Decoding decoding;

  private CasaFrameModelFactory(String checkpointDir, Decoding decoding) {
    this.checkpointDir = checkpointDir;
    this.decoding = decoding;
  }

  public static CasaFrameModelFactory shipped() {
    return new CasaFrameModelFactory(null, Decoding.DRAFT);
  }

  /** The same model, decoding as {@code value} says (the texts are the same either way). */
  public CasaFrameModelFactory withDecoding(Decoding value) {
    return new CasaFrameModelFactory(checkpointDir, value);
  }

  public Decoding decoding() {
    return decoding;
  }

  public static CasaFrameModelFactory fromCheckpoint(Path dir) {
    if (!Checkpoint.exists(dir)) {
      throw new IllegalArgumentException("No CASA checkpoint in " + dir + ": a checkpoint directory holds "
          + Checkpoint.CONFIG_FILE + " and " + Checkpoint.WEIGHTS_FILE);
    }
    return new CasaFrameModelFactory(dir.toAbsolutePath().toString(), Decoding.DRAFT);
  }

  @Override
  public String modelKey() {
    // one loaded model per key and TaskManager: a plain-decoding job does not share the draft one's
    return "casa:" + (checkpointDir == null ? "shipped" : checkpointDir) + (decoding == Decoding.DRAFT ? "" : ":" + decoding.id());
  }

  @Override
  public int engineGpuCount() {
    return Engine.getEngine("PyTorch").getGpuCount();
  }

  /** The model's square frame side, read from its config without loading the weights. */
  @Override
  public int imageSize() {
    try {
      return (checkpointDir == null ? Checkpoint.readShippedConfig() : Checkpoint.readConfig(Path.of(checkpointDir)))
          .imageSize();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the config of model " + modelKey() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads the model onto {@code device}: its parameters and every array of its forward passes live
   * there. {@link FrameModel#device()} reports where it really runs; should that ever differ from
   * the device asked for, a warning says so.
   */
  @Override
  public FrameModel load(ComputeDevice device) {
    Device target = device.isGpu() ? Device.gpu(device.gpuIndex()) : Device.cpu();
    CasaModel model = checkpointDir == null
        ? CasaModel.loadShipped(target)
        : CasaModel.load(Path.of(checkpointDir), target);
    CasaFrameModel loaded = new CasaFrameModel(model, "casa-" + weightsDigest(), decoding);
    if (!loaded.device().equals(device)) {
      LOG.warn("Model {} was assigned {} but runs on {}, the engine's default device",
          modelKey(), device, loaded.device());
    }
    return loaded;
  }

  /** The first 12 hex digits of the weights' SHA-256: a retrained model gets a new id. */
  private String weightsDigest() {
    try (InputStream in = checkpointDir == null
        ? Checkpoint.class.getResourceAsStream(Checkpoint.SHIPPED_RESOURCE + Checkpoint.WEIGHTS_FILE)
        : Files.newInputStream(Path.of(checkpointDir, Checkpoint.WEIGHTS_FILE))) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
        digesting.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the weights of model " + modelKey() + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
