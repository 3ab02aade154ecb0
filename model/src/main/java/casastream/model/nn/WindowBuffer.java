package casastream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A tensor that grows along one axis while a window is fed (keys, values, their validity), with
 * room kept at its end: a chunk that fits is written in place, and only a chunk that does not fit
 * reallocates, leaving room for {@link #GROWTH} entries in all. Token-by-token decoding thus copies
 * the whole tensor once every {@code GROWTH} tokens instead of at every token.
 *
 * <p>Readers take the whole allocation, room included ({@link #all()}): the room holds zeros, and
 * the matching validity buffer holds zeros there too, so attention masks it. Multiplying the whole
 * contiguous tensor, a few masked entries included, was measured 2-3x faster than multiplying a
 * view of its filled prefix (PyTorch's batched products do not take such strided views as they are).
 */
final class WindowBuffer {

    /**
     * Entries one reallocation makes room for, at least: less reallocates more often, more makes
     * attention read more masked room; 16 was as fast as any of 8, 32 and 64 at batch 128.
     */
    static final int GROWTH = 16;

    private final int axis;
    private NDArray buffer;
    private int length;

    private WindowBuffer(NDArray buffer, int axis, int length) {
        this.buffer = buffer;
        this.axis = axis;
        this.length = length;
    }

    /** A full buffer holding {@code initial}; the first append reallocates. */
    static WindowBuffer of(NDArray initial, int axis) {
        return new WindowBuffer(initial, axis, Math.toIntExact(initial.getShape().get(axis)));
    }

    /** An empty buffer of the given shape, all zeros, with room for {@code shape.get(axis)} entries. */
    static WindowBuffer zeros(NDManager manager, Shape shape, int axis) {
        return new WindowBuffer(manager.zeros(shape), axis, 0);
    }

    /**
     * Appends a chunk (the buffer's shape, any length along the axis). A chunk of {@code GROWTH}
     * entries or more that does not fit is appended by plain concatenation, leaving no room.
     */
    void append(NDArray chunk) {
        int n = Math.toIntExact(chunk.getShape().get(axis));
        long capacity = buffer.getShape().get(axis);
        if (length + n <= capacity) {
            buffer.set(NDIndex.sliceAxis(axis, length, length + n), chunk);
        } else {
            NDList parts = new NDList(length == capacity ? buffer : buffer.get(NDIndex.sliceAxis(axis, 0, length)), chunk);
            if (n < GROWTH) {
                // a copy: Shape.getShape() hands out the shape's own array, and writing into it changed the shape
                // DJL caches for the buffer, which may be the caller's array (a memory's validity or values, an
                // image mask): a later window over the same memory then masked its keys at the wrong positions
                long[] room = buffer.getShape().getShape().clone();
                room[axis] = GROWTH - n;
                parts.add(buffer.getManager().zeros(new Shape(room)));
            }
            buffer = NDArrays.concat(parts, axis);
        }
        length += n;
    }

    /** The whole allocation: the entries appended so far, then zeros. */
    NDArray all() {
        return buffer;
    }

    /** How many entries were appended (or held from the start). */
    int length() {
        return length;
    }

    /**
     * Takes back the entries that {@code part}, a copy of some of this buffer's rows made when both held
     * {@code from} entries, holds past {@code from}: row r of this buffer takes row {@code map[r] - B}
     * of the part's (B this buffer's batch size) where {@code map[r] >= B}, and keeps its own entries
     * past {@code from} where {@code map[r] == r}. Both sides are padded with zeros to the longer, so
     * the buffer ends up {@code from} plus the longer of the two entries long; the rest of the buffer is
     * kept as it is.
     */
    void mergeFrom(WindowBuffer part, NDArray map, int from) {
        int own = length - from;
        int theirs = part.length - from;
        if (own < 0 || theirs < 0) {
            throw new IllegalArgumentException("cannot merge from entry " + from + " of buffers holding " + length
                    + " and " + part.length);
        }
        int tail = Math.max(own, theirs);
        if (tail == 0) {
            return;
        }
        NDArray rows = tail(this, from, tail).concat(tail(part, from, tail), 0).get(map);
        long capacity = buffer.getShape().get(axis);
        if (from + tail <= capacity) {
            buffer.set(NDIndex.sliceAxis(axis, from, from + tail), rows);
        } else {
            NDList parts = new NDList(buffer.get(NDIndex.sliceAxis(axis, 0, from)), rows);
            long room = Math.max(part.buffer.getShape().get(axis), capacity) - from - tail;
            if (room > 0) {
                long[] shape = rows.getShape().getShape().clone(); // a copy, for the reason given in append
                shape[axis] = room;
                parts.add(rows.getManager().zeros(new Shape(shape), rows.getDataType()));
            }
            buffer = NDArrays.concat(parts, axis);
        }
        length = from + tail;
    }

    /** Entries from..length of {@code source}, then zeros to {@code tail} entries in all. */
    private NDArray tail(WindowBuffer source, int from, int tail) {
        int n = source.length - from;
        NDArray entries = n == 0 ? null : source.buffer.get(NDIndex.sliceAxis(axis, from, source.length));
        if (n == tail) {
            return entries;
        }
        long[] shape = source.buffer.getShape().getShape().clone(); // a copy, for the reason given in append
        shape[axis] = tail - n;
        NDArray zeros = source.buffer.getManager().zeros(new Shape(shape), source.buffer.getDataType());
        return entries == null ? zeros : entries.concat(zeros, axis);
    }

    /**
     * A copy of the given rows (axis 0; repeats allowed) holding only their first {@code entries}
     * entries, as the buffer was when it held that many.
     */
    WindowBuffer select(NDArray rows, int entries) {
        return new WindowBuffer(buffer.get(rows).get(NDIndex.sliceAxis(axis, 0, entries)), axis, entries);
    }

    /** A copy holding the given rows of the batch (axis 0; repeats allowed), with the same room left. */
    WindowBuffer select(NDArray rows) {
        return new WindowBuffer(buffer.get(rows), axis, length);
    }
}
