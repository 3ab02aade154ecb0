package casastream.model.nn;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One decoder layer's state for the frame being decoded. Keys and values are (B,h,t,dh), in
 * {@link WindowBuffer}s that grow as the window's tokens are fed:
 * <ul>
 *   <li>self-attention: the stream memory's entries (rotated to their fixed slots), then the window's tokens;</li>
 *   <li>fusion: this frame's image tokens, then (CASA) the window's tokens;</li>
 *   <li>ring: the window's raw (unrotated) self-attention keys and values of the gist and caption segments,
 *       which become the stream's next memory (zeros where a position was never fed).</li>
 * </ul>
 * Buffers a layer does not have (no self-attention, no fusion) are null.
 */
final class LayerCache {

    /** The layer's Q/K/V projection for this window. */
    JointProjection projection;
    WindowBuffer selfKeys;
    WindowBuffer selfValues;
    WindowBuffer fusionKeys;
    WindowBuffer fusionValues;
    WindowBuffer ringKeys;
    WindowBuffer ringValues;

    /** A copy whose every buffer is {@code copy} of this one's. */
    LayerCache copy(UnaryOperator<WindowBuffer> copy) {
        LayerCache out = new LayerCache();
        out.projection = projection;
        out.selfKeys = copy(selfKeys, copy);
        out.selfValues = copy(selfValues, copy);
        out.fusionKeys = copy(fusionKeys, copy);
        out.fusionValues = copy(fusionValues, copy);
        out.ringKeys = copy(ringKeys, copy);
        out.ringValues = copy(ringValues, copy);
        return out;
    }

    private static WindowBuffer copy(WindowBuffer buffer, UnaryOperator<WindowBuffer> copy) {
        return buffer == null ? null : copy.apply(buffer);
    }

    /** The layer's buffers that exist, in a fixed order. */
    void buffers(List<WindowBuffer> out) {
        for (WindowBuffer buffer : new WindowBuffer[] {selfKeys, selfValues, fusionKeys, fusionValues, ringKeys, ringValues}) {
            if (buffer != null) {
                out.add(buffer);
            }
        }
    }
}
