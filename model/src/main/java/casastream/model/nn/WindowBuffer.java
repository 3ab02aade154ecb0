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
     * Appends what {@code part} (a {@link #select} of some of this buffer's rows, fed since) holds past
     * this buffer's length: row r of this buffer takes row {@code map[r]} of it, or zeros where
     * {@code map[r]} is the part's batch size (a row the part did not hold). The buffer ends up with the
     * part's capacity, the room that appending its entries one by one would have left.
     */
    void appendFrom(WindowBuffer part, NDArray map) {
        int n = part.length - length;
        if (n < 0) {
            throw new IllegalArgumentException("the part holds " + part.length + " entries, fewer than this buffer's " + length);
        }
        if (n == 0) {
            return;
        }
        NDArray fed = part.buffer.get(NDIndex.sliceAxis(axis, length, part.length));
        long[] oneRow = fed.getShape().getShape().clone(); // a copy, for the reason given in append
        oneRow[0] = 1;
        NDArray rows = fed.concat(fed.getManager().zeros(new Shape(oneRow), fed.getDataType()), 0).get(map);
        long capacity = buffer.getShape().get(axis);
        long partCapacity = part.buffer.getShape().get(axis);
        if (length + n > capacity && partCapacity > length + n) {
            long[] room = rows.getShape().getShape().clone();
            room[axis] = partCapacity - length - n;
            rows = rows.concat(rows.getManager().zeros(new Shape(room), rows.getDataType()), axis);
            NDArray filled = length == capacity ? buffer : buffer.get(NDIndex.sliceAxis(axis, 0, length));
            buffer = filled.concat(rows, axis);
            length += n;
            return;
        }
        append(rows);
    }

    /** A copy holding the given rows of the batch (axis 0; repeats allowed), with the same room left. */
    WindowBuffer select(NDArray rows) {
        return new WindowBuffer(buffer.get(rows), axis, length);
    }
}
