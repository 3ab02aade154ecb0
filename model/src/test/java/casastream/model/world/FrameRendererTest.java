package casastream.model.world;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FrameRendererTest {

    private static final WorldConfig CONFIG = WorldConfig.defaults();

    private static WorldObject object(Shape shape, double size, double depth, double x, double y) {
        return new WorldObject(new ObjectType(Colour.RED, shape), size, 3, depth, new int[3],
                WorldObject.Phase.WANDERING, Motion.LEFT, x, y);
    }

    private static double[] visible(WorldObject... backToFront) {
        FrameRenderer renderer = new FrameRenderer(CONFIG, new SplittableRandom(1));
        return renderer.render(List.of(backToFront), new byte[CONFIG.frameBytes()]);
    }

    @Test
    void aFreeObjectIsWhollyVisible() {
        for (Shape shape : Shape.values()) {
            assertThat(visible(object(shape, 14, 0, 32.3, 30.7))[0]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void anObjectHalfOutOfFrameIsHalfVisible() {
        assertThat(visible(object(Shape.SQUARE, 14, 0, 0, 32))[0]).isCloseTo(0.5, within(0.01));
        assertThat(visible(object(Shape.CIRCLE, 14, 0, 64, 32))[0]).isCloseTo(0.5, within(0.02));
        // the triangle's area lies mostly in its lower half
        assertThat(visible(object(Shape.TRIANGLE, 14, 0, 32, 64))[0]).isCloseTo(0.25, within(0.02));
    }

    @Test
    void objectsInFrontHideWhatIsBehind() {
        WorldObject back = object(Shape.SQUARE, 12, 0, 30, 30);
        double[] covered = visible(back, object(Shape.SQUARE, 15, 1, 30, 30));
        assertThat(covered[0]).isCloseTo(0, within(1e-9));
        assertThat(covered[1]).isCloseTo(1, within(1e-9));
        double[] partly = visible(back, object(Shape.SQUARE, 12, 1, 36, 30));
        assertThat(partly[0]).isCloseTo(0.5, within(0.01));
        assertThat(partly[1]).isCloseTo(1, within(1e-9));
    }

    @Test
    void brightnessDriftsSlowlyWithinItsBounds() {
        WorldConfig config = CONFIG;
        CameraWorld world = new CameraWorld(config.toBuilder().maxObjects(0).photometry(0, 0.75, 1.25, 0.02).build(), 9);
        double previous = Double.NaN;
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int f = 0; f < 300; f++) {
            double mean = meanLevel(world.next().rgb());
            if (!Double.isNaN(previous)) {
                assertThat(Math.abs(mean / previous - 1)).as("frame %d", f).isLessThanOrEqualTo(0.03);
            }
            lowest = Math.min(lowest, mean);
            highest = Math.max(highest, mean);
            previous = mean;
        }
        assertThat(highest / lowest).as("the light changes over a stream").isGreaterThan(1.1);
    }

    private static double meanLevel(byte[] rgb) {
        long sum = 0;
        for (byte b : rgb) {
            sum += b & 0xFF;
        }
        return (double) sum / rgb.length;
    }
}
