package casastream.model.world;

/**
 * A half-open range of stream seeds, {@code [first, end)}.
 *
 * @param name  what the range is for, used in error messages
 * @param first the first seed in the range
 * @param end   the first seed after the range
 */
public record SeedRange(String name, long first, long end) {

    public SeedRange {
        if (first < 0 || end <= first) {
            throw new IllegalArgumentException("seed range " + name + " must satisfy 0 <= first < end, got [" + first + ", " + end + ")");
        }
    }

    public boolean contains(long seed) {
        return seed >= first && seed < end;
    }

    public long size() {
        return end - first;
    }

    /** The {@code offset}-th seed of the range. */
    public long seed(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the " + size() + " seeds of the " + name + " range");
        }
        return first + offset;
    }

    public boolean overlaps(SeedRange other) {
        return first < other.end && other.first < end;
    }

    @Override
    public String toString() {
        return name + " [" + first + ", " + end + ")";
    }
}
