package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;

/**
 * The vision stem: three strided convolutions that turn the frame into a grid of image tokens. A
 * small nonlinear stem sees shape much better than one linear map per patch.
 * <pre>
 * (B,3,S,S) -conv3x3 s2-> (B,C,S/2,S/2) -GELU-conv3x3 s2-> (B,2C,S/4,S/4) -GELU-conv(p/4) s(p/4)-> (B,D,S/p,S/p)
 * </pre>
 */
public final class ConvStem {

    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;
    private final NDArray w3;
    private final NDArray b3;
    private final int lastKernel;

    public ConvStem(Parameters params, CasaConfig config) {
        int c1 = config.stemChannels();
        int c2 = 2 * c1;
        lastKernel = config.patchSize() / 4;
        w1 = params.normal("vision.stem.0.weight", new Shape(c1, 3, 3, 3), Math.sqrt(2.0 / 27));
        b1 = params.zeros("vision.stem.0.bias", new Shape(c1));
        w2 = params.normal("vision.stem.1.weight", new Shape(c2, c1, 3, 3), Math.sqrt(2.0 / (9 * c1)));
        b2 = params.zeros("vision.stem.1.bias", new Shape(c2));
        w3 = params.normal("vision.stem.2.weight", new Shape(config.width(), c2, lastKernel, lastKernel),
                Math.sqrt(1.0 / (c2 * lastKernel * lastKernel)));
        b3 = params.zeros("vision.stem.2.bias", new Shape(config.width()));
    }

    /** pixels (B,3,S,S) scaled to [-1,1], to feature map (B,D,S/p,S/p). */
    public NDArray forward(NDArray pixels) {
        NDArray x = Ops.gelu(conv(pixels, w1, b1, 2, 1));
        x = Ops.gelu(conv(x, w2, b2, 2, 1));
        return conv(x, w3, b3, lastKernel, 0);
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return x.getNDArrayInternal()
                .convolution(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }
}
