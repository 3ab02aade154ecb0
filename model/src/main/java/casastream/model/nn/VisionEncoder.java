package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frame to image tokens: convolutional stem, fixed 2-D sin-cos positions, a few transformer layers
 * and a final norm. The image tokens live for one frame only; the stream never keeps them.
 */
public final class VisionEncoder {

    private final CasaConfig config;
    private final ConvStem stem;
    private final NDArray positions; // (P, D), fixed
    private final List<VisionLayer> layers = new ArrayList<>();
    private final NDArray normGamma;
    private final NDArray normBeta;

    public VisionEncoder(Parameters params, CasaConfig config) {
        this.config = config;
        stem = new ConvStem(params, config);
        positions = sinCos2d(params.manager(), config.gridSize(), config.width());
        double outputStd = 0.02 / Math.sqrt(2.0 * Math.max(1, config.visionLayers()));
        for (int i = 0; i < config.visionLayers(); i++) {
            layers.add(new VisionLayer(params, "vision.layers." + i, config.width(), config.heads(),
                    config.ffnMultiplier() * config.width(), outputStd));
        }
        normGamma = params.ones("vision.norm.weight", new Shape(config.width()));
        normBeta = params.zeros("vision.norm.bias", new Shape(config.width()));
    }

    /** Frames as interleaved RGB bytes (HWC), all of the model's image size, to pixels (B,3,S,S) in [-1,1]. */
    public NDArray pixels(NDManager manager, List<byte[]> rgbFrames) {
        int side = config.imageSize();
        int frameBytes = side * side * 3;
        ByteBuffer buffer = ByteBuffer.allocateDirect(frameBytes * rgbFrames.size());
        for (byte[] frame : rgbFrames) {
            if (frame == null || frame.length != frameBytes) {
                throw new IllegalArgumentException("a frame must be " + side + "x" + side + " RGB (" + frameBytes
                        + " bytes), got " + (frame == null ? "none" : frame.length + " bytes") + ": resize it to the model's image size");
            }
            buffer.put(frame);
        }
        buffer.flip();
        NDArray bytes = manager.create(buffer, new Shape(rgbFrames.size(), side, side, 3), DataType.UINT8);
        return bytes.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).div(127.5f).sub(1f);
    }

    /** pixels (B,3,S,S) to image tokens (B,P,D). */
    public NDArray forward(NDArray pixels) {
        NDArray grid = stem.forward(pixels); // (B,D,g,g)
        long batch = grid.getShape().get(0);
        NDArray x = grid.reshape(batch, config.width(), config.imageTokens()).transpose(0, 2, 1).add(positions); // (B,P,D)
        NDArray noMask = x.getManager().zeros(new Shape(1, 1, 1, 1));
        for (VisionLayer layer : layers) {
            x = layer.forward(x, noMask);
        }
        return Ops.layerNorm(x, normGamma, normBeta);
    }

    /** Fixed 2-D sin-cos positions: half the channels encode the row, half the column. (g*g, D) */
    private static NDArray sinCos2d(NDManager manager, int grid, int width) {
        int quarter = width / 4;
        float[] values = new float[grid * grid * width];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int base = (r * grid + c) * width;
                for (int i = 0; i < quarter; i++) {
                    double frequency = Math.pow(10_000, -(double) i / quarter);
                    values[base + i] = (float) Math.sin(r * frequency);
                    values[base + quarter + i] = (float) Math.cos(r * frequency);
                    values[base + 2 * quarter + i] = (float) Math.sin(c * frequency);
                    values[base + 3 * quarter + i] = (float) Math.cos(c * frequency);
                }
            }
        }
        return manager.create(values, new Shape((long) grid * grid, width));
    }
}
