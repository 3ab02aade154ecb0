package casastream.model.memory;

import casastream.model.CasaConfig;
import casastream.model.MemoryPrecision;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One stream's memory: per self-attention layer, the cached raw keys and values of the last H
 * frames' gist tokens and of the text tail, as a ring of a fixed number of entries, plus which
 * entries are filled and how many frames the stream has seen. It is the stream's whole visual past;
 * the frames themselves are never kept.
 *
 * <p>Byte format (little-endian), the same size at frame 1 and frame 10 million:
 * <pre>
 * "CASM" | version u8 | precision u8 (0 fp16, 1 fp32) | 2 reserved | config fingerprint i64 | frames i64
 * | valid bitmap ceil(M/8) | per layer: keys (h,M,dh) then values (h,M,dh), fp16 or fp32
 * | with gist recurrence (D6): the gist state (k,D), same precision
 * | since version 2, the word ids of the stream's last caption and events (the draft for its next frame):
 *   caption count u16 (0xffff: none) then T-2 ids u16, events count u16 then E-2 ids u16 (unused ids 0)
 * </pre>
 * Version 1 (no texts) is still read, as a memory without a draft.
 */
public final class StreamMemory {

    /** The byte format version this code reads and writes. */
    public static final int FORMAT_VERSION = 2;
    /** The earlier version this code still reads: the same, without the texts. */
    private static final int VERSION_WITHOUT_TEXTS = 1;
    private static final int NO_TEXT = 0xffff;
    private static final int MAGIC = 0x4d534143; // "CASM" read little-endian
    private static final int HEADER_BYTES = 24;

    private final CasaConfig config;
    private final long frames;
    private final boolean[] valid;
    private final float[][] keys;
    private final float[][] values;
    private final float[] gistState;
    private final TextIds texts;

    StreamMemory(CasaConfig config, long frames, boolean[] valid, float[][] keys, float[][] values, float[] gistState,
                 TextIds texts) {
        this.config = config;
        this.frames = frames;
        this.valid = valid;
        this.keys = keys;
        this.values = values;
        this.gistState = gistState;
        this.texts = texts == null || fits(config, texts) ? texts : null;
    }

    /** Whether both texts fit their segments (a caption and events this model could have written). */
    private static boolean fits(CasaConfig config, TextIds texts) {
        return texts.caption().length <= captionIds(config) && texts.events().length <= eventIds(config);
    }

    private static int captionIds(CasaConfig config) {
        return config.textTail() - 2; // the segment less its marker and EOS
    }

    private static int eventIds(CasaConfig config) {
        return config.eventTokens() - 2;
    }

    /** The memory of a stream that has seen no frame yet. */
    public static StreamMemory fresh(CasaConfig config) {
        int layers = config.selfAttentionLayers();
        int size = config.memoryEntries() * config.width();
        float[][] k = new float[layers][size];
        float[][] v = new float[layers][size];
        return new StreamMemory(config, 0, new boolean[config.memoryEntries()], k, v, freshState(config), null);
    }

    private static float[] freshState(CasaConfig config) {
        return config.gistRecurrence() ? new float[config.gistTokens() * config.width()] : null;
    }

    /** Serialized size in bytes for {@code config}: fixed, whatever the stream's length. */
    public static int byteSize(CasaConfig config) {
        return byteSize(config, FORMAT_VERSION);
    }

    private static int byteSize(CasaConfig config, int version) {
        int payload = 2 * config.selfAttentionLayers() * config.memoryEntries() * config.width()
                * config.memoryPrecision().bytes();
        int state = config.gistRecurrence() ? config.gistTokens() * config.width() * config.memoryPrecision().bytes() : 0;
        int texts = version == VERSION_WITHOUT_TEXTS ? 0 : 2 * (1 + captionIds(config)) + 2 * (1 + eventIds(config));
        return HEADER_BYTES + (config.memoryEntries() + 7) / 8 + payload + state + texts;
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(byteSize(config)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).put((byte) FORMAT_VERSION).put((byte) config.memoryPrecision().ordinal()).putShort((short) 0);
        out.putLong(config.fingerprint()).putLong(frames);
        byte[] bitmap = new byte[(valid.length + 7) / 8];
        for (int e = 0; e < valid.length; e++) {
            if (valid[e]) {
                bitmap[e / 8] |= (byte) (1 << (e % 8));
            }
        }
        out.put(bitmap);
        for (int l = 0; l < keys.length; l++) {
            putAll(out, keys[l]);
            putAll(out, values[l]);
        }
        if (gistState != null) {
            putAll(out, gistState);
        }
        putIds(out, texts == null ? null : texts.caption(), captionIds(config));
        putIds(out, texts == null ? null : texts.events(), eventIds(config));
        return out.array();
    }

    private static void putIds(ByteBuffer out, int[] ids, int slots) {
        out.putShort((short) (ids == null ? NO_TEXT : ids.length));
        for (int i = 0; i < slots; i++) {
            out.putShort((short) (ids != null && i < ids.length ? ids[i] : 0));
        }
    }

    /** Ids written by {@link #putIds}, or null for none (or a count that cannot be right). */
    private static int[] getIds(ByteBuffer in, int slots, int vocabulary) {
        int count = in.getShort() & 0xffff;
        int[] ids = new int[Math.min(count, slots)];
        boolean known = true;
        for (int i = 0; i < slots; i++) {
            int id = in.getShort() & 0xffff;
            if (i < ids.length) {
                ids[i] = id;
                known &= id < vocabulary;
            }
        }
        return count <= slots && known ? ids : null;
    }

    private void putAll(ByteBuffer out, float[] data) {
        if (config.memoryPrecision() == MemoryPrecision.FP16) {
            for (float f : data) {
                out.putShort(HalfFloat.fromFloat(f));
            }
        } else {
            for (float f : data) {
                out.putFloat(f);
            }
        }
    }

    /**
     * Reads bytes written by {@link #toBytes()} for the same model.
     *
     * @throws MemoryFormatException when the bytes are not a stream memory, are of another format
     *                               version, or were written by a model with another config
     */
    public static StreamMemory fromBytes(CasaConfig config, byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new MemoryFormatException("stream memory of " + (bytes == null ? 0 : bytes.length)
                    + " bytes is too short to be one; start the stream with a fresh memory");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt() != MAGIC) {
            throw new MemoryFormatException("bytes are not a CASA stream memory (no CASM magic)");
        }
        int version = in.get() & 0xff;
        if (version != FORMAT_VERSION && version != VERSION_WITHOUT_TEXTS) {
            throw new MemoryFormatException("stream memory format version " + version + " cannot be read by this build (reads "
                    + FORMAT_VERSION + "); start the stream with a fresh memory");
        }
        int precision = in.get() & 0xff;
        in.getShort();
        long fingerprint = in.getLong();
        if (fingerprint != config.fingerprint() || precision != config.memoryPrecision().ordinal()) {
            throw new MemoryFormatException(String.format("stream memory was written by another model (fingerprint %016x, "
                    + "this model %016x); memories do not carry over between models: start the stream fresh",
                    fingerprint, config.fingerprint()));
        }
        if (bytes.length != byteSize(config, version)) {
            throw new MemoryFormatException("stream memory has " + bytes.length + " bytes, this model's has "
                    + byteSize(config, version) + ": the bytes are truncated or corrupt");
        }
        long frames = in.getLong();
        int entries = config.memoryEntries();
        byte[] bitmap = new byte[(entries + 7) / 8];
        in.get(bitmap);
        boolean[] valid = new boolean[entries];
        for (int e = 0; e < entries; e++) {
            valid[e] = (bitmap[e / 8] & (1 << (e % 8))) != 0;
        }
        int layers = config.selfAttentionLayers();
        int size = entries * config.width();
        float[][] k = new float[layers][];
        float[][] v = new float[layers][];
        for (int l = 0; l < layers; l++) {
            k[l] = getAll(in, size, config.memoryPrecision());
            v[l] = getAll(in, size, config.memoryPrecision());
        }
        float[] state = config.gistRecurrence() ? getAll(in, config.gistTokens() * config.width(), config.memoryPrecision()) : null;
        TextIds texts = null;
        if (version != VERSION_WITHOUT_TEXTS) {
            // the texts are only a draft, checked before use: ids that cannot be right are dropped, not refused
            int[] caption = getIds(in, captionIds(config), config.vocabSize());
            int[] events = getIds(in, eventIds(config), config.vocabSize());
            texts = caption == null || events == null ? null : new TextIds(caption, events);
        }
        return new StreamMemory(config, frames, valid, k, v, state, texts);
    }

    private static float[] getAll(ByteBuffer in, int size, MemoryPrecision precision) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = precision == MemoryPrecision.FP16 ? HalfFloat.toFloat(in.getShort()) : in.getFloat();
        }
        return data;
    }

    /** Frames this stream has seen. */
    public long frames() {
        return frames;
    }

    boolean[] valid() {
        return valid;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** The word ids of the stream's last caption and events, or null (a fresh stream, or one of format version 1). */
    public TextIds texts() {
        return texts;
    }

    /** The gist state (k*D, slot-major) with gist recurrence, else null. */
    float[] gistState() {
        return gistState;
    }

    public CasaConfig config() {
        return config;
    }
}
