package casastream.model.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Moves the objects of one stream: they enter at an edge, wander with a persistent heading and
 * occasional pauses, avoid covering each other too much, and finally head out through the nearest
 * edge. Everything is drawn from one seeded random source, so a stream replays exactly.
 */
final class SceneDynamics {

    private static final Motion[] HEADINGS = {Motion.LEFT, Motion.RIGHT, Motion.UP, Motion.DOWN};
    /** Sideways wobble per frame, small against the 2 px movement threshold so the heading stays dominant. */
    private static final double WOBBLE = 0.4;
    /** Largest lightness offset of an object's shade from its colour's nominal RGB. */
    private static final int SHADE = 16;
    /** Largest extra per-channel offset: small, so that a yellow never turns orange. */
    private static final int TINT = 5;
    /** Tries to find a spawn spot that does not cover another object before giving up for this frame. */
    private static final int SPAWN_TRIES = 4;

    private final WorldConfig config;
    private final SplittableRandom random;
    /** Draws of the history world's returns only, so that a world without history moves exactly as before. */
    private final SplittableRandom returns;
    private final List<WorldObject> objects = new ArrayList<>();
    /** Objects that left and were sent back, with the frames they still wait before re-entering. */
    private final List<Away> away = new ArrayList<>();

    private static final class Away {
        final WorldObject object;
        int wait;

        Away(WorldObject object, int wait) {
            this.object = object;
            this.wait = wait;
        }
    }

    SceneDynamics(WorldConfig config, SplittableRandom random, SplittableRandom returns) {
        this.config = config;
        this.random = random;
        this.returns = returns;
    }

    /** The objects in the world, including those still entering or already leaving, in drawing order. */
    List<WorldObject> objects() {
        return Collections.unmodifiableList(objects);
    }

    /** Fills the first frame: 0..maxObjects objects, wholly inside and wandering. */
    void populate() {
        int count = random.nextInt(config.maxObjects() + 1);
        for (int i = 0; i < count; i++) {
            ObjectType type = freeType();
            double size = randomSize();
            for (int t = 0; t < SPAWN_TRIES; t++) {
                double x = random.nextDouble(size / 2, config.width() - size / 2);
                double y = random.nextDouble(size / 2, config.height() - size / 2);
                if (spotIsFree(size, x, y)) {
                    add(newObject(type, size, WorldObject.Phase.WANDERING, randomHeading(), x, y));
                    break;
                }
            }
        }
    }

    /** Advances the world by one frame. */
    void step() {
        for (WorldObject o : objects) {
            o.previousX = o.x;
            o.previousY = o.y;
            switch (o.phase) {
                case ENTERING -> enter(o);
                case WANDERING -> wander(o);
                case LEAVING -> advance(o);
            }
        }
        if (config.hasHistory()) {
            stepReturns();
        } else {
            objects.removeIf(this::isGone);
        }
        if (objects.size() < config.maxObjects() && random.nextDouble() < config.enterProbability()) {
            spawnAtEdge();
        }
    }

    /**
     * The history world's returns: an object that has gone is sent back with the rules' chance, to wait
     * 1..maxReturnDelay frames; one whose wait is over re-enters through a random edge with its own size,
     * speed and shade, as soon as the scene has room and a free spot (otherwise it tries again next frame).
     */
    private void stepReturns() {
        HistoryRules rules = config.history();
        for (java.util.Iterator<WorldObject> it = objects.iterator(); it.hasNext(); ) {
            WorldObject o = it.next();
            if (isGone(o)) {
                it.remove();
                if (returns.nextDouble() < rules.returnProbability()) {
                    away.add(new Away(o, returns.nextInt(1, rules.maxReturnDelay() + 1)));
                }
            }
        }
        for (java.util.Iterator<Away> it = away.iterator(); it.hasNext(); ) {
            Away a = it.next();
            if (--a.wait <= 0 && objects.size() < config.maxObjects() && spawnReturn(a.object)) {
                it.remove();
            }
        }
    }

    private boolean spawnReturn(WorldObject template) {
        Motion inward = HEADINGS[returns.nextInt(HEADINGS.length)];
        for (int t = 0; t < SPAWN_TRIES; t++) {
            double[] spot = edgeSpot(returns, template.size, inward);
            if (spotIsFree(template.size, spot[2], spot[3])) {
                add(new WorldObject(template.type, template.size, template.speed, template.depth, template.shade,
                        WorldObject.Phase.ENTERING, inward, spot[0], spot[1]));
                return true;
            }
        }
        return false;
    }

    private void enter(WorldObject o) {
        advance(o);
        if (o.minX() >= 0 && o.minY() >= 0 && o.maxX() <= config.width() && o.maxY() <= config.height()) {
            o.phase = WorldObject.Phase.WANDERING;
        }
    }

    private void wander(WorldObject o) {
        if (o.pauseLeft > 0) {
            o.pauseLeft--;
            return;
        }
        if (random.nextDouble() < config.leaveProbability()) {
            o.phase = WorldObject.Phase.LEAVING;
            o.heading = nearestEdge(o);
            advance(o);
            return;
        }
        if (random.nextDouble() < config.pauseProbability()) {
            // this frame is the first still one of the pause
            o.pauseLeft = random.nextInt(config.minPauseFrames(), config.maxPauseFrames() + 1) - 1;
            return;
        }
        if (random.nextDouble() < config.turnProbability()) {
            o.heading = otherHeading(o.heading);
        }
        if (!staysInside(o, o.heading)) {
            o.heading = insideHeading(o);
        }
        if (blocked(o, o.heading)) {
            // stand still this frame and try another way next frame, so no two objects lock each other
            o.heading = otherHeading(o.heading);
            return;
        }
        advance(o);
    }

    private void advance(WorldObject o) {
        double wobble = random.nextDouble(-WOBBLE, WOBBLE);
        switch (o.heading) {
            case LEFT -> { o.x -= o.speed; o.y += wobble; }
            case RIGHT -> { o.x += o.speed; o.y += wobble; }
            case UP -> { o.y -= o.speed; o.x += wobble; }
            case DOWN -> { o.y += o.speed; o.x += wobble; }
            case NONE -> throw new IllegalStateException("a moving object needs a heading");
        }
    }

    private boolean isGone(WorldObject o) {
        return o.maxX() <= 0 || o.maxY() <= 0 || o.minX() >= config.width() || o.minY() >= config.height();
    }

    /**
     * Starts a new object just outside a random edge, heading inwards. It starts with less than a
     * third of its area in view, so it becomes present only after it has moved in.
     */
    private void spawnAtEdge() {
        ObjectType type = freeType();
        if (type == null) {
            return;
        }
        double size = randomSize();
        Motion inward = randomHeading();
        for (int t = 0; t < SPAWN_TRIES; t++) {
            double[] spot = edgeSpot(random, size, inward);
            if (spotIsFree(size, spot[2], spot[3])) {
                add(newObject(type, size, WorldObject.Phase.ENTERING, inward, spot[0], spot[1]));
                return;
            }
        }
    }

    /** A start just outside the edge an object enters through: {x, y, and the spot it will first be wholly inside}. */
    private double[] edgeSpot(SplittableRandom draw, double size, Motion inward) {
        double inView = draw.nextDouble(0, 0.3) * size;
        double alongX = draw.nextDouble(size / 2, config.width() - size / 2);
        double alongY = draw.nextDouble(size / 2, config.height() - size / 2);
        return switch (inward) {
            case RIGHT -> new double[] {inView - size / 2, alongY, size / 2, alongY};
            case LEFT -> new double[] {config.width() - inView + size / 2, alongY, config.width() - size / 2, alongY};
            case DOWN -> new double[] {alongX, inView - size / 2, alongX, size / 2};
            case UP -> new double[] {alongX, config.height() - inView + size / 2, alongX, config.height() - size / 2};
            default -> throw new IllegalStateException("no inward heading " + inward);
        };
    }

    private WorldObject newObject(ObjectType type, double size, WorldObject.Phase phase, Motion heading, double x, double y) {
        double speed = random.nextDouble(config.minSpeed(), Math.nextUp(config.maxSpeed()));
        int lightness = random.nextInt(-SHADE, SHADE + 1);
        int[] shade = new int[3];
        for (int c = 0; c < 3; c++) {
            shade[c] = lightness + random.nextInt(-TINT, TINT + 1);
        }
        return new WorldObject(type, size, speed, random.nextDouble(), shade, phase, heading, x, y);
    }

    /** Keeps the list sorted back to front, so renderers draw it in order. */
    private void add(WorldObject o) {
        int at = 0;
        while (at < objects.size() && objects.get(at).depth <= o.depth) {
            at++;
        }
        objects.add(at, o);
    }

    /** A type neither in the world nor away waiting to come back. */
    private ObjectType freeType() {
        boolean[] used = new boolean[ObjectType.COUNT];
        int taken = 0;
        for (WorldObject o : objects) {
            used[o.type.index()] = true;
            taken++;
        }
        for (Away a : away) {
            if (!used[a.object.type.index()]) {
                used[a.object.type.index()] = true;
                taken++;
            }
        }
        if (taken == ObjectType.COUNT) {
            return null; // only in the history world, with every other type away waiting to come back
        }
        int pick = random.nextInt(ObjectType.COUNT - taken);
        for (int i = 0; i < ObjectType.COUNT; i++) {
            if (!used[i] && pick-- == 0) {
                return ObjectType.of(i);
            }
        }
        throw new IllegalStateException("no free object type: " + objects.size() + " objects in the world");
    }

    private double randomSize() {
        return random.nextDouble(config.minObjectSize(), Math.nextUp(config.maxObjectSize()));
    }

    private Motion randomHeading() {
        return HEADINGS[random.nextInt(HEADINGS.length)];
    }

    private Motion otherHeading(Motion current) {
        Motion next = HEADINGS[random.nextInt(HEADINGS.length - 1)];
        return next == current ? HEADINGS[HEADINGS.length - 1] : next;
    }

    /**
     * A random heading that keeps the object wholly in frame. One always exists: the configuration
     * guarantees the frame is at least twice an object's size and a step is smaller than an object.
     */
    private Motion insideHeading(WorldObject o) {
        Motion[] options = new Motion[HEADINGS.length];
        int n = 0;
        for (Motion h : HEADINGS) {
            if (staysInside(o, h)) {
                options[n++] = h;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("the " + o.type + " at (" + o.x + ", " + o.y + ") cannot move and stay in frame");
        }
        return options[random.nextInt(n)];
    }

    private boolean staysInside(WorldObject o, Motion heading) {
        double half = o.size / 2 + WOBBLE;
        return switch (heading) {
            case LEFT -> o.x - o.speed - half >= 0;
            case RIGHT -> o.x + o.speed + half <= config.width();
            case UP -> o.y - o.speed - half >= 0;
            case DOWN -> o.y + o.speed + half <= config.height();
            case NONE -> true;
        };
    }

    private Motion nearestEdge(WorldObject o) {
        double left = o.x;
        double right = config.width() - o.x;
        double up = o.y;
        double down = config.height() - o.y;
        double best = Math.min(Math.min(left, right), Math.min(up, down));
        if (best == left) {
            return Motion.LEFT;
        }
        if (best == right) {
            return Motion.RIGHT;
        }
        return best == up ? Motion.UP : Motion.DOWN;
    }

    /** Whether moving would push this object further into another beyond the allowed overlap. */
    private boolean blocked(WorldObject o, Motion heading) {
        double nx = o.x + (heading == Motion.RIGHT ? o.speed : heading == Motion.LEFT ? -o.speed : 0);
        double ny = o.y + (heading == Motion.DOWN ? o.speed : heading == Motion.UP ? -o.speed : 0);
        for (WorldObject other : objects) {
            if (other == o) {
                continue;
            }
            double after = o.overlapWith(other, nx, ny);
            if (after > config.maxOverlap() && after > o.overlapWith(other, o.x, o.y)) {
                return true;
            }
        }
        return false;
    }

    private boolean spotIsFree(double size, double x, double y) {
        for (WorldObject other : objects) {
            if (WorldObject.boxOverlap(size, x, y, other.size, other.x, other.y) > config.maxOverlap()) {
                return false;
            }
        }
        return true;
    }
}
