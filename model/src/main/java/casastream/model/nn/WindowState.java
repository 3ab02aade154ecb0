package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.memory.MemoryBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder's state inside one frame's window for a batch of streams: every layer's cache, which
 * keys are valid, and the raw gist and caption entries that will become the streams' next memory.
 * Chunks of the window are fed in increasing position order; positions that are never fed (trailing
 * pads of a segment) are simply absent, exactly like masked pads.
 */
public final class WindowState {

    final CasaConfig config;
    final LayerCache[] caches;
    final MemoryBatch memory;
    NDArray selfValid;   // (B, M + fed tokens)
    NDArray fusionValid; // (B, P + fed tokens)
    final List<NDArray> ringValid = new ArrayList<>();
    int ringFilled;
    int nextStart;
    final List<NDArray> layerOutputs = new ArrayList<>();
    private final boolean recordLayers;

    WindowState(CasaConfig config, MemoryBatch memory, NDArray fusionValid, boolean recordLayers) {
        this.config = config;
        this.memory = memory;
        this.caches = new LayerCache[config.decoderLayers()];
        for (int l = 0; l < caches.length; l++) {
            caches[l] = new LayerCache();
        }
        this.selfValid = memory.valid();
        this.fusionValid = fusionValid;
        this.recordLayers = recordLayers;
    }

    private WindowState(WindowState source, LayerCache[] caches, MemoryBatch memory, NDArray rows) {
        this.config = source.config;
        this.caches = caches;
        this.memory = memory;
        this.selfValid = source.selfValid.get(rows);
        this.fusionValid = source.fusionValid.get(rows);
        source.ringValid.forEach(v -> this.ringValid.add(v.get(rows)));
        this.ringFilled = source.ringFilled;
        this.nextStart = source.nextStart;
        this.recordLayers = source.recordLayers;
    }

    boolean recordLayers() {
        return recordLayers;
    }

    /** Hidden states (B,n,D) after each decoder layer for the chunks fed so far (only when recording). */
    public List<NDArray> layerOutputs() {
        return layerOutputs;
    }

    public int batchSize() {
        return Math.toIntExact(selfValid.getShape().get(0));
    }

    /** A state for the given rows (repeats allowed), e.g. one row per (stream, question) to answer. */
    public WindowState select(NDManager manager, int[] rows) {
        NDArray index = manager.create(Arrays.stream(rows).asLongStream().toArray());
        LayerCache[] copies = new LayerCache[caches.length];
        for (int l = 0; l < caches.length; l++) {
            copies[l] = caches[l].select(index);
        }
        return new WindowState(this, copies, memory.select(manager, rows), index);
    }

    /**
     * The streams' memory after this frame: the window's gist and caption-segment entries pushed
     * into the ring. Positions of the caption segment that were never fed count as empty.
     */
    public MemoryBatch endFrame() {
        int ring = config.gistTokens() + config.textTail();
        int missing = ring - ringFilled;
        NDManager manager = selfValid.getManager();
        int batch = batchSize();
        NDArray[] keys = new NDArray[config.selfAttentionLayers()];
        NDArray[] values = new NDArray[keys.length];
        int memoryLayer = 0;
        for (LayerCache cache : caches) {
            if (cache.ringKeys.isEmpty()) {
                continue;
            }
            keys[memoryLayer] = padRing(cache.ringKeys, missing, manager);
            values[memoryLayer] = padRing(cache.ringValues, missing, manager);
            memoryLayer++;
        }
        List<NDArray> valid = new ArrayList<>(ringValid);
        if (missing > 0) {
            valid.add(manager.zeros(new Shape(batch, missing)));
        }
        return memory.push(keys, values, NDArrays.concat(new NDList(valid), 1));
    }

    private static NDArray padRing(List<NDArray> parts, int missing, NDManager manager) {
        List<NDArray> all = new ArrayList<>(parts);
        if (missing > 0) {
            Shape s = parts.get(0).getShape();
            all.add(manager.zeros(new Shape(s.get(0), s.get(1), missing, s.get(3))));
        }
        return all.size() == 1 ? all.get(0) : NDArrays.concat(new NDList(all), 2);
    }
}
