package casastream.model.world;

/**
 * One object's mutable state inside a {@link CameraWorld}. Positions are the centre of the object's
 * square bounding box in continuous pixel coordinates (pixel (i, j) covers [i, i+1) x [j, j+1)).
 */
final class WorldObject {

    /** Where the object is in its life: coming in from an edge, moving about, or heading out. */
    enum Phase { ENTERING, WANDERING, LEAVING }

    final ObjectType type;
    final double size;
    final double speed;
    /** Drawing order: larger depth is drawn later, i.e. in front. */
    final double depth;
    /** Per-object shade offsets added to the colour's nominal RGB, so no two reds are quite alike. */
    final int[] shade;

    Phase phase;
    Motion heading;
    int pauseLeft;
    double x;
    double y;
    double previousX;
    double previousY;

    WorldObject(ObjectType type, double size, double speed, double depth, int[] shade,
                Phase phase, Motion heading, double x, double y) {
        this.type = type;
        this.size = size;
        this.speed = speed;
        this.depth = depth;
        this.shade = shade;
        this.phase = phase;
        this.heading = heading;
        this.x = x;
        this.y = y;
        this.previousX = x;
        this.previousY = y;
    }

    double minX() {
        return x - size / 2;
    }

    double maxX() {
        return x + size / 2;
    }

    double minY() {
        return y - size / 2;
    }

    double maxY() {
        return y + size / 2;
    }

    /**
     * Whether the point (px, py) lies inside the shape. The triangle points up with its base on the
     * bounding box's bottom edge; the circle and square fill the box.
     */
    boolean covers(double px, double py) {
        double half = size / 2;
        double ux = px - x;
        double uy = py - y;
        return switch (type.shape()) {
            case CIRCLE -> ux * ux + uy * uy <= half * half;
            case SQUARE -> Math.abs(ux) <= half && Math.abs(uy) <= half;
            case TRIANGLE -> uy <= half && uy >= -half && Math.abs(ux) <= (uy + half) / 2;
        };
    }

    /** Bounding-box overlap with another object if this one stood at (atX, atY), as a fraction of the smaller box. */
    double overlapWith(WorldObject other, double atX, double atY) {
        return boxOverlap(size, atX, atY, other.size, other.x, other.y);
    }

    /** Overlap area of two square boxes given by side and centre, as a fraction of the smaller box. */
    static double boxOverlap(double sizeA, double xA, double yA, double sizeB, double xB, double yB) {
        double w = Math.min(xA + sizeA / 2, xB + sizeB / 2) - Math.max(xA - sizeA / 2, xB - sizeB / 2);
        double h = Math.min(yA + sizeA / 2, yB + sizeB / 2) - Math.max(yA - sizeA / 2, yB - sizeB / 2);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double smaller = Math.min(sizeA, sizeB);
        return w * h / (smaller * smaller);
    }
}
