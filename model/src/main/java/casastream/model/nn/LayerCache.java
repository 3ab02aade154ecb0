package casastream.model.nn;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * One decoder layer's keys and values for the frame being decoded.
 * <ul>
 *   <li>self-attention: the stream memory's entries (rotated to their fixed slots), then the window's tokens;</li>
 *   <li>fusion: this frame's image tokens, then (CASA) the window's tokens;</li>
 *   <li>the window's raw (unrotated) self-attention keys and values of the gist and caption segments,
 *       which become the stream's next memory.</li>
 * </ul>
 * All are (B,h,t,dh).
 */
final class LayerCache {

    NDArray selfKeys;
    NDArray selfValues;
    NDArray fusionKeys;
    NDArray fusionValues;
    final List<NDArray> ringKeys = new ArrayList<>();
    final List<NDArray> ringValues = new ArrayList<>();

    LayerCache select(NDArray rows) {
        LayerCache copy = new LayerCache();
        copy.selfKeys = selfKeys == null ? null : selfKeys.get(rows);
        copy.selfValues = selfValues == null ? null : selfValues.get(rows);
        copy.fusionKeys = fusionKeys == null ? null : fusionKeys.get(rows);
        copy.fusionValues = fusionValues == null ? null : fusionValues.get(rows);
        ringKeys.forEach(k -> copy.ringKeys.add(k.get(rows)));
        ringValues.forEach(v -> copy.ringValues.add(v.get(rows)));
        return copy;
    }
}
