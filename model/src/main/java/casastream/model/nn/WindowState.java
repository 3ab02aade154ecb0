package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.memory.MemoryBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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

    private WindowState(WindowState source, MemoryBatch memory, UnaryOperator<WindowBuffer> copy, int nextStart) {
        this.config = source.config;
        this.caches = new LayerCache[source.caches.length];
        for (int l = 0; l < caches.length; l++) {
            caches[l] = source.caches[l].copy(copy);
        }
        this.memory = memory;
        this.selfValid = copy.apply(source.selfValid);
        this.fusionValid = copy.apply(source.fusionValid);
        this.ringValid = copy.apply(source.ringValid);
        this.gistOut = source.gistOut == null ? null : copy.apply(source.gistOut);
        this.nextStart = nextStart;
        this.recordLayers = source.recordLayers;
    }

    /** Where a state stood: the next window position and how many entries each of its buffers held. */
    public static final class Mark {
        private final int nextStart;
        private final Map<WindowBuffer, Integer> lengths = new IdentityHashMap<>();

        private Mark(WindowState state) {
            this.nextStart = state.nextStart;
            for (WindowBuffer buffer : state.buffers()) {
                lengths.put(buffer, buffer.length());
            }
        }

        private Mark(int nextStart) {
            this.nextStart = nextStart;
        }

        /**
         * Where the state stood when only the first {@code kept} of the {@code fed} tokens of one chunk
         * fed between {@code before} and this mark had been fed: each buffer the chunk grew (by
         * {@code fed} entries) holds {@code kept} of them, the others what they held. Rows selected at
         * such a mark keep the chunk's first tokens, whose entries do not depend on the tokens after them.
         */
        public Mark within(Mark before, int fed, int kept) {
            if (kept < 0 || kept > fed || nextStart - before.nextStart != fed) {
                throw new IllegalArgumentException("keep " + kept + " of " + fed + " tokens fed from position "
                        + before.nextStart + " to " + nextStart);
            }
            Mark mark = new Mark(before.nextStart + kept);
            for (Map.Entry<WindowBuffer, Integer> entry : lengths.entrySet()) {
                int was = before.length(entry.getKey());
                int grown = entry.getValue() - was;
                if (grown != 0 && grown != fed) {
                    throw new IllegalStateException("a buffer grew by " + grown + " entries for a chunk of " + fed);
                }
                mark.lengths.put(entry.getKey(), grown == 0 ? was : was + kept);
            }
            return mark;
        }

        private int length(WindowBuffer buffer) {
            Integer length = lengths.get(buffer);
            if (length == null) {
                throw new IllegalArgumentException("the mark was taken on another state");
            }
            return length;
        }
    }

    /** Where this state stands now, to copy rows as they were ({@link #select(NDManager, int[], Mark)}) or merge them back. */
    public Mark mark() {
        return new Mark(this);
    }

    /** Every buffer of the state, in a fixed order (the same for a state and its copies). */
    private List<WindowBuffer> buffers() {
        List<WindowBuffer> out = new ArrayList<>();
        out.add(selfValid);
        out.add(fusionValid);
        out.add(ringValid);
        if (gistOut != null) {
            out.add(gistOut);
        }
        for (LayerCache cache : caches) {
            cache.buffers(out);
        }
        return out;
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
        return new WindowState(this, memory.select(manager, rows), buffer -> buffer.select(index), nextStart);
    }

    /** A state for the given rows as this state was at {@code mark}: what it was fed since is left out. */
    public WindowState select(NDManager manager, int[] rows, Mark mark) {
        NDArray index = manager.create(Arrays.stream(rows).asLongStream().toArray());
        return new WindowState(this, memory.select(manager, rows), buffer -> buffer.select(index, mark.length(buffer)),
                mark.nextStart);
    }

    /**
     * Takes back what {@code part}, a state {@link #select}ed from this one at {@code mark}, was fed
     * since: each of its rows replaces what this state's row was fed since the mark, and every other
     * row keeps its own. The shorter side is padded with masked entries holding zeros, exactly as if
     * it had been fed pads (which attention masks and {@link #endFrame} stores as zeros), and the state
     * continues from the further of the two positions.
     *
     * @param rows this state's row of each of the part's rows (distinct)
     */
    public void merge(NDManager manager, WindowState part, int[] rows, Mark mark) {
        if (part.recordLayers || recordLayers) {
            throw new IllegalStateException("a state that records its layers' outputs cannot merge a part");
        }
        int batch = batchSize();
        long[] map = new long[batch];
        for (int r = 0; r < batch; r++) {
            map[r] = r;
        }
        for (int i = 0; i < rows.length; i++) {
            map[rows[i]] = batch + i;
        }
        NDArray index = manager.create(map);
        List<WindowBuffer> own = buffers();
        List<WindowBuffer> theirs = part.buffers();
        for (int i = 0; i < own.size(); i++) {
            own.get(i).mergeFrom(theirs.get(i), index, mark.length(own.get(i)));
        }
        nextStart = Math.max(nextStart, part.nextStart);
    }

    /**
     * The streams' memory after this frame: the window's gist and caption-segment entries pushed
     * into the ring (and, with gist recurrence, the gist slots' final states as the new gist state).
     * Positions of the caption segment that were never fed count as empty, and every entry that is
     * not valid (never fed, or a pad) is stored as zeros: a memory's bytes depend only on what the
     * stream's texts were, not on what else shared its batch.
     */
    public MemoryBatch endFrame() {
        NDArray[] keys = new NDArray[config.selfAttentionLayers()];
        NDArray[] values = new NDArray[keys.length];
        NDArray entryValid = ringValid.all();
        // (B,1,k+T,1); where rather than a product, which leaves -0 for a negative entry
        NDArray keep = entryValid.reshape(entryValid.getShape().get(0), 1, entryValid.getShape().get(1), 1).gt(0.5f);
        int memoryLayer = 0;
        for (LayerCache cache : caches) {
            if (cache.ringKeys == null) {
                continue;
            }
            keys[memoryLayer] = keepValid(keep, cache.ringKeys.all());
            values[memoryLayer] = keepValid(keep, cache.ringValues.all());
            memoryLayer++;
        }
        return memory.push(keys, values, ringValid.all(), gistOut == null ? null : gistOut.all());
    }

    /** entries (B,h,k+T,dh) where keep (B,1,k+T,1) holds, zeros (never -0) elsewhere. */
    private static NDArray keepValid(NDArray keep, NDArray entries) {
        return NDArrays.where(keep.broadcast(entries.getShape()), entries, entries.zerosLike());
    }
}
