package casastream.model.nn;

import ai.djl.ndarray.types.DataType;
import casastream.model.ModelFormatException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The named trainable tensors of a model. Each block creates its own parameters here under a dotted
 * name ({@code decoder.layers.0.self_attn.qkv.weight}); the names are the checkpoint's tensor names.
 * Initial values come from a seeded Java {@link Random}, so a fresh model is reproducible.
 */
public final class Parameters {

    private final NDManager manager;
    private final Random random;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    public Parameters(NDManager manager, long seed) {
        this.manager = manager;
        this.random = new Random(seed);
    }

    /** A weight drawn from N(0, std^2). */
    public NDArray normal(String name, Shape shape, double std) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return register(name, manager.create(values, shape));
    }

    public NDArray zeros(String name, Shape shape) {
        return register(name, manager.zeros(shape));
    }

    public NDArray ones(String name, Shape shape) {
        return register(name, manager.ones(shape));
    }

    private NDArray register(String name, NDArray array) {
        if (tensors.containsKey(name)) {
            throw new IllegalStateException("parameter " + name + " is declared twice");
        }
        array.setName(name);
        array.setRequiresGradient(true);
        tensors.put(name, array);
        return array;
    }

    /** All parameters in declaration order, by name. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(tensors);
    }

    public long count() {
        return tensors.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * Overwrites every parameter with the tensor of the same name, checking that the set of names and
     * every shape match exactly.
     */
    public void load(Map<String, NDArray> values) {
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray value = values.get(entry.getKey());
            if (value == null) {
                throw new ModelFormatException("checkpoint lacks tensor " + entry.getKey()
                        + ": it was saved by a different model layout; use a checkpoint made for this config");
            }
            if (!value.getShape().equals(entry.getValue().getShape())) {
                throw new ModelFormatException("tensor " + entry.getKey() + " has shape " + value.getShape()
                        + " in the checkpoint but the config needs " + entry.getValue().getShape());
            }
            entry.getValue().set(value.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }
}
