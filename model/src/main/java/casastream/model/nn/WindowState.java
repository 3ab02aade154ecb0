package casastream.model.nn;

import ai.djl.ndarray.NDArray;
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
    final WindowBuffer selfValid;   // (B, M + fed tokens + room): as long as every layer's self keys
    final WindowBuffer fusionValid; // (B, P + fed tokens + room): as long as every layer's fusion keys
    final WindowBuffer ringValid;   // (B, k + T): fed positions of the gist and caption segments
    final WindowBuffer gistOut;     // (B, k, D): the gist slots' final hidden states (gist recurrence only, else null)
    int nextStart;
    final List<NDArray> layerOutputs = new ArrayList<>();
    private final boolean recordLayers;

    WindowState(CasaConfig config, MemoryBatch memory, NDArray imageValid, boolean recordLayers) {
        this.gistOut = config.gistRecurrence()
                ? WindowBuffer.zeros(imageValid.getManager(), new Shape(memory.batchSize(), config.gistTokens(), config.width()), 1)
                : null;
        this.config = config;
        this.memory = memory;
        this.caches = new LayerCache[config.decoderLayers()];
        for (int l = 0; l < caches.length; l++) {
            caches[l] = new LayerCache();
        }
        this.selfValid = WindowBuffer.of(memory.valid(), 1);
        this.fusionValid = WindowBuffer.of(imageValid, 1);
        this.ringValid = WindowBuffer.zeros(imageValid.getManager(),
                new Shape(memory.batchSize(), config.gistTokens() + config.textTail()), 1);
        this.recordLayers = recordLayers;
    }

    private WindowState(WindowState source, LayerCache[] caches, MemoryBatch memory, NDArray rows) {
        this.config = source.config;
        this.caches = caches;
        this.memory = memory;
        this.selfValid = source.selfValid.select(rows);
        this.fusionValid = source.fusionValid.select(rows);
        this.ringValid = source.ringValid.select(rows);
        this.gistOut = source.gistOut == null ? null : source.gistOut.select(rows);
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
        return memory.batchSize();
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
     * into the ring (and, with gist recurrence, the gist slots' final states as the new gist state).
     * Positions of the caption segment that were never fed count as empty.
     */
    public MemoryBatch endFrame() {
        NDArray[] keys = new NDArray[config.selfAttentionLayers()];
        NDArray[] values = new NDArray[keys.length];
        int memoryLayer = 0;
        for (LayerCache cache : caches) {
            if (cache.ringKeys == null) {
                continue;
            }
            keys[memoryLayer] = cache.ringKeys.all();
            values[memoryLayer] = cache.ringValues.all();
            memoryLayer++;
        }
        return memory.push(keys, values, ringValid.all(), gistOut == null ? null : gistOut.all());
    }
}
