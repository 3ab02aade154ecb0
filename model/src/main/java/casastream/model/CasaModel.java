package casastream.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.nn.CasaDecoder;
import casastream.model.nn.Parameters;
import casastream.model.nn.VisionEncoder;
import casastream.model.text.Tokenizer;
import casastream.model.text.WorldTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A CASA vision-language model: vision encoder plus text decoder with CASA fusion layers, its
 * parameters and its tokenizer. Immutable once loaded, so one instance serves many threads; close
 * it to free its native memory.
 */
public final class CasaModel implements AutoCloseable {

    private final NDManager manager;
    private final CasaConfig config;
    private final Parameters parameters;
    private final VisionEncoder vision;
    private final CasaDecoder decoder;
    private final Tokenizer tokenizer;

    private CasaModel(NDManager manager, CasaConfig config, Tokenizer tokenizer, long seed) {
        this.manager = manager;
        this.config = config;
        this.tokenizer = tokenizer;
        if (tokenizer.vocabSize() != config.vocabSize() || !tokenizer.name().equals(config.tokenizer())) {
            throw new ModelFormatException("the model was trained with tokenizer " + config.tokenizer() + " ("
                    + config.vocabSize() + " ids) but this build has " + tokenizer.name() + " (" + tokenizer.vocabSize()
                    + " ids): retrain or use a model made for this tokenizer");
        }
        this.parameters = new Parameters(manager, seed);
        this.vision = new VisionEncoder(parameters, config);
        this.decoder = new CasaDecoder(parameters, config);
    }

    /** A freshly initialised model (seeded, so reproducible). */
    public static CasaModel create(CasaConfig config, long seed) {
        return create(config, seed, null);
    }

    /**
     * A freshly initialised model on {@code device} (null: the engine's default device). Every
     * array of a forward pass lives on a sub-manager of the model's, so the whole model runs there.
     */
    public static CasaModel create(CasaConfig config, long seed, Device device) {
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            return new CasaModel(manager, config, tokenizerFor(config), seed);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The world tokenizer the config names; for a name this build does not know, the frame-to-frame
     * world's, which the constructor then refuses with a message naming both.
     */
    private static Tokenizer tokenizerFor(CasaConfig config) {
        try {
            return WorldTokenizer.named(config.tokenizer());
        } catch (IllegalArgumentException unknown) {
            return WorldTokenizer.instance();
        }
    }

    /** Loads a checkpoint directory ({@code config.json} + {@code model.safetensors}). */
    public static CasaModel load(Path dir) {
        return load(dir, null);
    }

    /** Loads a checkpoint directory onto {@code device} (null: the engine's default device). */
    public static CasaModel load(Path dir, Device device) {
        try {
            CasaModel model = create(Checkpoint.readConfig(dir), 0, device);
            return model.loadWeights(Checkpoint.readWeights(dir, model.manager));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads the model shipped inside the model jar. */
    public static CasaModel loadShipped() {
        return loadShipped(null);
    }

    /** Loads the shipped model onto {@code device} (null: the engine's default device). */
    public static CasaModel loadShipped(Device device) {
        try {
            CasaModel model = create(Checkpoint.readShippedConfig(), 0, device);
            return model.loadWeights(Checkpoint.readShippedWeights(model.manager));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped model: " + e.getMessage(), e);
        }
    }

    /** {@link #loadShipped()} when {@code dir} is null, else {@link #load(Path)}. */
    public static CasaModel loadOrShipped(Path dir) {
        return dir == null ? loadShipped() : load(dir);
    }

    private CasaModel loadWeights(Map<String, NDArray> weights) {
        try (NDManager scratch = manager.newSubManager()) {
            weights.values().forEach(w -> w.attach(scratch));
            parameters.load(weights);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir}. */
    public void save(Path dir, SafeTensors.DType dtype) throws IOException {
        Checkpoint.save(dir, config, parameters.all(), dtype);
    }

    public CasaConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public VisionEncoder vision() {
        return vision;
    }

    public CasaDecoder decoder() {
        return decoder;
    }

    public Parameters parameters() {
        return parameters;
    }

    /** The manager owning the parameters; per-batch work belongs on a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
