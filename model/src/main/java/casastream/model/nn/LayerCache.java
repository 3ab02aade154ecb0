package casastream.model.nn;

import ai.djl.ndarray.NDArray;

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

    LayerCache select(NDArray rows) {
        LayerCache copy = new LayerCache();
        copy.projection = projection;
        copy.selfKeys = select(selfKeys, rows);
        copy.selfValues = select(selfValues, rows);
        copy.fusionKeys = select(fusionKeys, rows);
        copy.fusionValues = select(fusionValues, rows);
        copy.ringKeys = select(ringKeys, rows);
        copy.ringValues = select(ringValues, rows);
        return copy;
    }

    /** Takes back what a {@link #select}ed copy was fed since (see {@link WindowBuffer#appendFrom}). */
    void appendFrom(LayerCache part, NDArray map) {
        appendFrom(selfKeys, part.selfKeys, map);
        appendFrom(selfValues, part.selfValues, map);
        appendFrom(fusionKeys, part.fusionKeys, map);
        appendFrom(fusionValues, part.fusionValues, map);
        appendFrom(ringKeys, part.ringKeys, map);
        appendFrom(ringValues, part.ringValues, map);
    }

    private static void appendFrom(WindowBuffer buffer, WindowBuffer part, NDArray map) {
        if (buffer != null) {
            buffer.appendFrom(part, map);
        }
    }

    private static WindowBuffer select(WindowBuffer buffer, NDArray rows) {
        return buffer == null ? null : buffer.select(rows);
    }
}
