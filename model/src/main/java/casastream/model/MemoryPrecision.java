package casastream.model;

/** The number format of a serialized {@link casastream.model.memory.StreamMemory} payload. */
public enum MemoryPrecision {
    FP16(2),
    FP32(4);

    private final int bytes;

    MemoryPrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored number. */
    public int bytes() {
        return bytes;
    }
}
