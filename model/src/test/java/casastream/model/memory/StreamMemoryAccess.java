package casastream.model.memory;

/** Test access to a memory's stored numbers. */
public final class StreamMemoryAccess {

    private StreamMemoryAccess() {
    }

    public static float[] keys(StreamMemory memory, int layer) {
        return memory.keys(layer);
    }
}
