package casastream.model.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The memories of B streams as tensors, for one batched forward pass. Per self-attention layer:
 * raw (unrotated) keys and values (B,h,M,dh), ordered by age: the oldest frame's k gist entries
 * first, the newest frame's last, then the text tail. {@code valid} (B,M) is 1 for an entry that
 * holds something and 0 for a slot the stream has not filled yet (or an ablation masked). With gist
 * recurrence (D6) it also holds each stream's gist state (B,k,D): the previous frame's final gist
 * hidden states, zeros for a fresh stream; null without it. Each row may carry the word ids of the
 * stream's last texts ({@link #texts()}), the draft for its next frame.
 */
public final class MemoryBatch {

    private final CasaConfig config;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray valid;
    private final NDArray gistState;
    private final long[] frames;
    private final List<TextIds> texts; // one per row, entries null where none; or null for none at all

    public MemoryBatch(CasaConfig config, NDArray[] keys, NDArray[] values, NDArray valid, long[] frames) {
        this(config, keys, values, valid, null, frames);
    }

    /**
     * @param gistState (B,k,D) with gist recurrence, else null
     */
    public MemoryBatch(CasaConfig config, NDArray[] keys, NDArray[] values, NDArray valid, NDArray gistState, long[] frames) {
        this(config, keys, values, valid, gistState, frames, null);
    }

    private MemoryBatch(CasaConfig config, NDArray[] keys, NDArray[] values, NDArray valid, NDArray gistState, long[] frames,
                        List<TextIds> texts) {
        if (texts != null && texts.size() != frames.length) {
            throw new IllegalArgumentException(texts.size() + " texts for " + frames.length + " streams");
        }
        if ((gistState != null) != config.gistRecurrence()) {
            throw new IllegalArgumentException(config.gistRecurrence()
                    ? "a model with gist recurrence needs the streams' gist state in its memory"
                    : "a model without gist recurrence has no gist state in its memory");
        }
        this.config = config;
        this.keys = keys;
        this.values = values;
        this.valid = valid;
        this.gistState = gistState;
        this.frames = frames;
        this.texts = texts == null ? null : Collections.unmodifiableList(new ArrayList<>(texts));
    }

    /** The same memory carrying each stream's last texts (entries may be null). */
    public MemoryBatch withTexts(List<TextIds> streamTexts) {
        return new MemoryBatch(config, keys, values, valid, gistState, frames, streamTexts);
    }

    /** Per row, the word ids of the stream's last texts, or null; null when no row carries any. */
    public List<TextIds> texts() {
        return texts;
    }

    /** B fresh streams: every entry empty. */
    public static MemoryBatch empty(NDManager manager, CasaConfig config, int batch) {
        int layers = config.selfAttentionLayers();
        NDArray[] keys = new NDArray[layers];
        NDArray[] values = new NDArray[layers];
        Shape shape = new Shape(batch, config.heads(), config.memoryEntries(), config.headDim());
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape);
            values[l] = manager.zeros(shape);
        }
        NDArray state = config.gistRecurrence() ? manager.zeros(new Shape(batch, config.gistTokens(), config.width())) : null;
        return new MemoryBatch(config, keys, values, manager.zeros(new Shape(batch, config.memoryEntries())), state,
                new long[batch]);
    }

    /** {@link #push(NDArray[], NDArray[], NDArray, NDArray)} for a model without gist recurrence. */
    public MemoryBatch push(NDArray[] windowKeys, NDArray[] windowValues, NDArray windowValid) {
        return push(windowKeys, windowValues, windowValid, null);
    }

    /**
     * Pushes one frame: the oldest frame's gist entries fall out, the new frame's gist entries are
     * appended and the text tail is replaced by the new caption segment.
     *
     * @param windowKeys   per self-attention layer, raw keys of the window's gist and caption segments (B,h,k+T,dh)
     * @param windowValid  (B,k+T)
     * @param newGistState (B,k,D) the window's final gist states with gist recurrence, else null
     */
    public MemoryBatch push(NDArray[] windowKeys, NDArray[] windowValues, NDArray windowValid, NDArray newGistState) {
        int k = config.gistTokens();
        int keep = (config.gistHistory() - 1) * k; // gist entries of the H-1 newest frames
        NDArray[] newKeys = new NDArray[keys.length];
        NDArray[] newValues = new NDArray[keys.length];
        for (int l = 0; l < keys.length; l++) {
            newKeys[l] = keys[l].get(":, :, {}:{}", k, k + keep).concat(windowKeys[l], 2);
            newValues[l] = values[l].get(":, :, {}:{}", k, k + keep).concat(windowValues[l], 2);
        }
        NDArray newValid = valid.get(":, {}:{}", k, k + keep).concat(windowValid, 1);
        long[] newFrames = Arrays.stream(frames).map(f -> f + 1).toArray();
        return new MemoryBatch(config, newKeys, newValues, newValid, newGistState, newFrames);
    }

    /** The same memory with the given entries masked out (1 = keep), e.g. for the no-memory ablation; the gist state is kept. */
    public MemoryBatch masked(NDArray keep) {
        return new MemoryBatch(config, keys, values, valid.mul(keep), gistState, frames, texts);
    }

    /**
     * The same memory with the given entries masked out and, with gist recurrence, each row's gist state
     * multiplied by {@code keepState} (B,1,1): 0 wipes it, as if the stream had just started.
     */
    public MemoryBatch masked(NDArray keep, NDArray keepState) {
        return new MemoryBatch(config, keys, values, valid.mul(keep), gistState == null ? null : gistState.mul(keepState),
                frames, texts);
    }

    /** The memory cut from the graph and moved to {@code manager}, to be carried into the next training step. */
    public MemoryBatch detach(NDManager manager) {
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[keys.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = keep(keys[l], manager);
            v[l] = keep(values[l], manager);
        }
        return new MemoryBatch(config, k, v, keep(valid, manager), gistState == null ? null : keep(gistState, manager),
                frames.clone(), texts);
    }

    private static NDArray keep(NDArray array, NDManager manager) {
        NDArray copy = array.stopGradient().duplicate();
        copy.attach(manager);
        return copy;
    }

    /** Rows of this batch, in the order given (streams may repeat). */
    public MemoryBatch select(NDManager manager, int[] rows) {
        NDArray index = manager.create(Arrays.stream(rows).asLongStream().toArray());
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[keys.length];
        long[] f = new long[rows.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = keys[l].get(index);
            v[l] = values[l].get(index);
        }
        List<TextIds> t = texts == null ? null : new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            f[i] = frames[rows[i]];
            if (t != null) {
                t.add(texts.get(rows[i]));
            }
        }
        return new MemoryBatch(config, k, v, valid.get(index), gistState == null ? null : gistState.get(index), f, t);
    }

    /** Replaces the rows of fresh streams (reset[b]) with empty memory. */
    public MemoryBatch reset(NDManager manager, boolean[] reset) {
        float[] keepRow = new float[reset.length];
        long[] f = frames.clone();
        for (int b = 0; b < reset.length; b++) {
            keepRow[b] = reset[b] ? 0f : 1f;
            f[b] = reset[b] ? 0 : f[b];
        }
        NDArray keepValid = manager.create(keepRow).reshape(reset.length, 1);
        NDArray keepEntries = keepValid.reshape(reset.length, 1, 1, 1);
        NDArray[] k = new NDArray[keys.length];
        NDArray[] v = new NDArray[keys.length];
        for (int l = 0; l < keys.length; l++) {
            k[l] = keys[l].mul(keepEntries);
            v[l] = values[l].mul(keepEntries);
        }
        NDArray state = gistState == null ? null : gistState.mul(keepValid.reshape(reset.length, 1, 1));
        List<TextIds> t = texts == null ? null : new ArrayList<>(texts);
        for (int b = 0; t != null && b < reset.length; b++) {
            if (reset[b]) {
                t.set(b, null);
            }
        }
        return new MemoryBatch(config, k, v, valid.mul(keepValid), state, f, t);
    }

    /** Streams' memories stacked into one batch. */
    public static MemoryBatch of(NDManager manager, CasaConfig config, List<StreamMemory> streams) {
        int layers = config.selfAttentionLayers();
        int entries = config.memoryEntries();
        int perLayer = entries * config.width();
        Shape shape = new Shape(streams.size(), config.heads(), entries, config.headDim());
        NDArray[] k = new NDArray[layers];
        NDArray[] v = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            float[] keyData = new float[perLayer * streams.size()];
            float[] valueData = new float[perLayer * streams.size()];
            for (int b = 0; b < streams.size(); b++) {
                StreamMemory memory = streams.get(b);
                System.arraycopy(memory.keys(l), 0, keyData, b * perLayer, perLayer);
                System.arraycopy(memory.values(l), 0, valueData, b * perLayer, perLayer);
            }
            k[l] = manager.create(keyData, shape);
            v[l] = manager.create(valueData, shape);
        }
        float[] validData = new float[entries * streams.size()];
        long[] frames = new long[streams.size()];
        for (int b = 0; b < streams.size(); b++) {
            boolean[] valid = streams.get(b).valid();
            for (int e = 0; e < entries; e++) {
                validData[b * entries + e] = valid[e] ? 1f : 0f;
            }
            frames[b] = streams.get(b).frames();
        }
        NDArray state = null;
        if (config.gistRecurrence()) {
            int perStream = config.gistTokens() * config.width();
            float[] stateData = new float[perStream * streams.size()];
            for (int b = 0; b < streams.size(); b++) {
                System.arraycopy(streams.get(b).gistState(), 0, stateData, b * perStream, perStream);
            }
            state = manager.create(stateData, new Shape(streams.size(), config.gistTokens(), config.width()));
        }
        List<TextIds> t = streams.stream().anyMatch(m -> m.texts() != null)
                ? streams.stream().map(StreamMemory::texts).toList() : null;
        return new MemoryBatch(config, k, v, manager.create(validData, new Shape(streams.size(), entries)), state, frames,
                t == null ? null : new ArrayList<>(t));
    }

    /** One {@link StreamMemory} per row. */
    public List<StreamMemory> toStreams() {
        int batch = frames.length;
        int entries = config.memoryEntries();
        int perLayer = entries * config.width();
        float[][] keyData = new float[keys.length][];
        float[][] valueData = new float[keys.length][];
        for (int l = 0; l < keys.length; l++) {
            keyData[l] = keys[l].toFloatArray();
            valueData[l] = values[l].toFloatArray();
        }
        float[] validData = valid.toFloatArray();
        float[] stateData = gistState == null ? null : gistState.toFloatArray();
        int perState = config.gistTokens() * config.width();
        List<StreamMemory> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            float[][] k = new float[keys.length][];
            float[][] v = new float[keys.length][];
            for (int l = 0; l < keys.length; l++) {
                k[l] = Arrays.copyOfRange(keyData[l], b * perLayer, (b + 1) * perLayer);
                v[l] = Arrays.copyOfRange(valueData[l], b * perLayer, (b + 1) * perLayer);
            }
            boolean[] valid = new boolean[entries];
            for (int e = 0; e < entries; e++) {
                valid[e] = validData[b * entries + e] > 0.5f;
            }
            float[] state = stateData == null ? null : Arrays.copyOfRange(stateData, b * perState, (b + 1) * perState);
            out.add(new StreamMemory(config, frames[b], valid, k, v, state, texts == null ? null : texts.get(b)));
        }
        return out;
    }

    public NDArray keys(int layer) {
        return keys[layer];
    }

    public NDArray values(int layer) {
        return values[layer];
    }

    public NDArray valid() {
        return valid;
    }

    /** (B,k,D) the streams' gist states with gist recurrence, else null. */
    public NDArray gistState() {
        return gistState;
    }

    public long[] frames() {
        return frames.clone();
    }

    public int batchSize() {
        return frames.length;
    }

    /** All tensors, e.g. to close them. */
    public NDList tensors() {
        NDList list = new NDList();
        list.addAll(Arrays.asList(keys));
        list.addAll(Arrays.asList(values));
        list.add(valid);
        if (gistState != null) {
            list.add(gistState);
        }
        return list;
    }
}
