package casastream.model.train;

import ai.djl.ndarray.types.DataType;
import casastream.model.ModelFormatException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import casastream.model.nn.NoGrad;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay on matrices, global-norm gradient clipping, and moments that can
 * be saved and restored, so a resumed run continues exactly where it stopped.
 */
final class Adam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.98f;
    private static final float EPS = 1e-8f;
    /** A gradient norm above this is a numerical accident, not a signal: the step is skipped. */
    static final float MAX_NORM = 1e6f;

    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final float weightDecay;
    private final NDManager manager;
    private long steps;
    private String largestGradient = "";

    Adam(NDManager manager, Map<String, NDArray> parameters, float weightDecay) {
        this.manager = manager;
        this.parameters = parameters;
        this.weightDecay = weightDecay;
        parameters.forEach((name, p) -> {
            firstMoments.put(name, manager.zeros(p.getShape()));
            secondMoments.put(name, manager.zeros(p.getShape()));
        });
    }

    /**
     * One update from the accumulated gradients, which it then clears. A step whose gradient norm
     * is not finite or above {@link #MAX_NORM} is skipped.
     *
     * @return the gradient norm before clipping
     */
    float step(float learningRate, float clipNorm) {
        try (NoGrad ignored = NoGrad.enter()) { // parameters are updated in place
            return stepWithoutGrad(learningRate, clipNorm);
        }
    }

    private float stepWithoutGrad(float learningRate, float clipNorm) {
        steps++;
        double squares = 0;
        double largest = -1;
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            NDArray gradient = entry.getValue().getGradient();
            gradients.put(entry.getKey(), gradient);
            // in double: a float32 sum of squares overflows long before the gradient itself does
            try (NDArray wide = gradient.toType(DataType.FLOAT64, false);
                 NDArray square = wide.square(); NDArray sum = square.sum()) {
                double tensorSquares = sum.getDouble();
                squares += tensorSquares;
                if (!(tensorSquares <= largest)) {
                    largest = tensorSquares;
                    largestGradient = entry.getKey();
                }
            }
        }
        float norm = (float) Math.sqrt(squares);
        if (!Float.isFinite(norm) || norm > MAX_NORM) {
            // Overwritten in place, not multiplied by zero: inf * 0 is NaN, and a NaN left in a
            // gradient buffer would poison every later step that accumulates into it. (Not
            // set(float[]) either: on PyTorch that points the tensor at a buffer owned by this
            // short-lived wrapper, which is freed while the parameter's gradient still uses it.)
            gradients.values().forEach(g -> g.set(new NDIndex(":"), 0f));
            gradients.values().forEach(NDArray::close);
            return norm;
        }
        float scale = norm > clipNorm ? clipNorm / norm : 1f;
        float correction1 = 1f - (float) Math.pow(BETA1, steps);
        float correction2 = 1f - (float) Math.pow(BETA2, steps);
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NDArray weight = entry.getValue();
            NDArray gradient = gradients.get(name);
            NDArray m = firstMoments.get(name);
            NDArray v = secondMoments.get(name);
            try (NDManager scratch = manager.newSubManager()) {
                scratch.tempAttachAll(weight, gradient, m, v); // temporaries land on scratch and die with it
                NDArray g = gradient.mul(scale);
                m.muli(BETA1).addi(g.mul(1f - BETA1));
                v.muli(BETA2).addi(g.square().mul(1f - BETA2));
                NDArray update = m.div(correction1).div(v.div(correction2).sqrt().add(EPS));
                if (weightDecay > 0 && weight.getShape().dimension() >= 2) {
                    update = update.add(weight.mul(weightDecay));
                }
                weight.subi(update.mul(learningRate));
                gradient.muli(0f);
            }
            gradient.close();
        }
        return norm;
    }

    /** The parameter with the largest gradient in the last step, to name the culprit of a skipped step. */
    String largestGradient() {
        return largestGradient;
    }

    /** Moments by name ("m." / "v." + parameter name), to save with the training state. */
    Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> out.put("m." + name, m));
        secondMoments.forEach((name, v) -> out.put("v." + name, v));
        return out;
    }

    void restore(Map<String, NDArray> state, long steps) {
        this.steps = steps;
        firstMoments.forEach((name, m) -> copy(state, "m." + name, m));
        secondMoments.forEach((name, v) -> copy(state, "v." + name, v));
    }

    private static void copy(Map<String, NDArray> state, String name, NDArray into) {
        NDArray saved = state.get(name);
        if (saved == null || !saved.getShape().equals(into.getShape())) {
            throw new ModelFormatException("training state lacks optimizer tensor " + name
                    + " or its shape differs: the run directory belongs to another model; use a new --run directory");
        }
        into.set(saved.toFloatArray());
    }
}
