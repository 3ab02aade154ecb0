package casastream.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.CasaConfig;
import casastream.model.ModelFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A model checkpoint: a directory (or classpath folder) holding {@code config.json} (the
 * {@link CasaConfig} as JSON) and {@code model.safetensors} (the weights, named as in
 * model/README.md). Files are written to a temporary name and moved into place, so a crash while
 * saving never leaves a half-written checkpoint.
 */
public final class Checkpoint {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** Classpath folder of the model shipped with the project. */
    public static final String SHIPPED_RESOURCE = "/casastream/model/shipped/";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private Checkpoint() {
    }

    public static void save(Path dir, CasaConfig config, Map<String, NDArray> weights, SafeTensors.DType dtype)
            throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(CONFIG_FILE), out -> JSON.writeValue(out, config));
        writeAtomically(dir.resolve(WEIGHTS_FILE), out -> SafeTensors.write(out, weights, dtype,
                Map.of("format", "casa-stream", "format_version", Integer.toString(config.formatVersion()))));
    }

    /** Writes through a temporary file in the same directory, then renames it over the target. */
    public static void writeAtomically(Path target, Writer writer) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
            writer.write(out);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE)) && Files.isRegularFile(dir.resolve(WEIGHTS_FILE));
    }

    public static CasaConfig readConfig(Path dir) throws IOException {
        requireFile(dir.resolve(CONFIG_FILE));
        try (InputStream in = Files.newInputStream(dir.resolve(CONFIG_FILE))) {
            return parseConfig(in, dir.resolve(CONFIG_FILE).toString());
        }
    }

    public static Map<String, NDArray> readWeights(Path dir, NDManager manager) throws IOException {
        requireFile(dir.resolve(WEIGHTS_FILE));
        try (InputStream in = Files.newInputStream(dir.resolve(WEIGHTS_FILE))) {
            return SafeTensors.read(in, manager, dir.resolve(WEIGHTS_FILE).toString());
        }
    }

    public static CasaConfig readShippedConfig() throws IOException {
        try (InputStream in = shipped(CONFIG_FILE)) {
            return parseConfig(in, "shipped " + CONFIG_FILE);
        }
    }

    public static Map<String, NDArray> readShippedWeights(NDManager manager) throws IOException {
        try (InputStream in = shipped(WEIGHTS_FILE)) {
            return SafeTensors.read(in, manager, "shipped " + WEIGHTS_FILE);
        }
    }

    private static InputStream shipped(String file) {
        InputStream in = Checkpoint.class.getResourceAsStream(SHIPPED_RESOURCE + file);
        if (in == null) {
            throw new ModelFormatException("the shipped model is missing from the classpath (" + SHIPPED_RESOURCE + file
                    + "): build the model module with its resources, or pass --model DIR");
        }
        return in;
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("checkpoint file " + file + " is missing: a checkpoint directory holds "
                    + CONFIG_FILE + " and " + WEIGHTS_FILE);
        }
    }

    /**
     * Config fields added after format version 1, with the value that gives the design as it was before
     * them: a config.json written earlier has none of them.
     */
    private static final Map<String, Boolean> LATER_FIELDS = Map.of("gistRecurrence", false);

    private static CasaConfig parseConfig(InputStream in, String source) throws IOException {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(in);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                LATER_FIELDS.forEach((field, value) -> {
                    if (!object.has(field)) {
                        object.put(field, value);
                    }
                });
            }
            return JSON.treeToValue(tree, CasaConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModelFormatException format) {
                throw new ModelFormatException(source + ": " + format.getMessage(), format);
            }
            throw new ModelFormatException(source + " is not a valid CASA config: " + (cause == null ? e : cause).getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + " is not a valid CASA config: " + e.getOriginalMessage(), e);
        }
    }
}
