package casastream.model.world;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectTypeTest {

    @Test
    void indicesCoverEveryColourAndShapeOnceInAFixedOrder() {
        assertThat(ObjectType.COUNT).isEqualTo(12);
        Set<ObjectType> seen = new HashSet<>();
        for (int i = 0; i < ObjectType.COUNT; i++) {
            ObjectType type = ObjectType.of(i);
            assertThat(type.index()).isEqualTo(i);
            seen.add(type);
        }
        assertThat(seen).hasSize(ObjectType.COUNT);
        assertThat(ObjectType.of(0)).isEqualTo(new ObjectType(Colour.RED, Shape.CIRCLE));
        assertThat(ObjectType.of(0).words()).isEqualTo("red circle");
        assertThat(new ObjectType(Colour.BLUE, Shape.SQUARE).words()).isEqualTo("blue square");
    }

    @Test
    void anIndexOutsideTheTypesIsRejected() {
        assertThatThrownBy(() -> ObjectType.of(12)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..11");
        assertThatThrownBy(() -> ObjectType.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void motionFollowsTheDominantAxisAboveTheThreshold() {
        assertThat(Motion.of(1.5, 1.0, 2)).isEqualTo(Motion.NONE);
        assertThat(Motion.of(-3, 1, 2)).isEqualTo(Motion.LEFT);
        assertThat(Motion.of(3, -1, 2)).isEqualTo(Motion.RIGHT);
        assertThat(Motion.of(0.5, -3, 2)).isEqualTo(Motion.UP);
        assertThat(Motion.of(-0.5, 3, 2)).isEqualTo(Motion.DOWN);
        assertThatThrownBy(Motion.NONE::word).isInstanceOf(IllegalStateException.class);
    }
}
