package casastream.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Appends write in place while there is room, grow by whole blocks when there is not, and never touch the initial tensor. */
class WindowBufferTest {

    @Test
    void tokensFillTheRoomThatAGrowthLeavesThenGrowAgain() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray initial = manager.create(new float[] {1, 2}, new Shape(1, 2));
            WindowBuffer buffer = WindowBuffer.of(initial, 1);
            buffer.append(manager.create(new float[] {3}, new Shape(1, 1)));
            assertThat(buffer.length()).isEqualTo(3);
            assertThat(buffer.all().getShape()).isEqualTo(new Shape(1, 2 + WindowBuffer.GROWTH));
            NDArray grown = buffer.all();
            for (int token = 4; token <= 2 + WindowBuffer.GROWTH; token++) {
                buffer.append(manager.create(new float[] {token}, new Shape(1, 1)));
            }
            assertThat(buffer.all()).as("the room was written in place").isSameAs(grown);
            buffer.append(manager.create(new float[] {99}, new Shape(1, 1)));
            assertThat(buffer.all().getShape()).isEqualTo(new Shape(1, 2 + 2 * WindowBuffer.GROWTH));

            float[] all = buffer.all().toFloatArray();
            for (int i = 0; i < 2 + WindowBuffer.GROWTH; i++) {
                assertThat(all[i]).isEqualTo(i + 1);
            }
            assertThat(all[2 + WindowBuffer.GROWTH]).isEqualTo(99);
            assertThat(all[3 + WindowBuffer.GROWTH]).as("room past the entries").isZero();
            assertThat(initial.toFloatArray()).containsExactly(1, 2);
        }
    }

    @Test
    void aLongChunkThatDoesNotFitIsAppendedWithoutRoom() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WindowBuffer buffer = WindowBuffer.of(manager.ones(new Shape(2, 3, 5)), 1);
            buffer.append(manager.zeros(new Shape(2, WindowBuffer.GROWTH + 1, 5)));
            assertThat(buffer.all().getShape()).isEqualTo(new Shape(2, WindowBuffer.GROWTH + 4, 5));
            assertThat(buffer.length()).isEqualTo(WindowBuffer.GROWTH + 4);
        }
    }

    @Test
    void aZeroBufferFillsFromItsStartAndKeepsZerosWhereNothingWasWritten() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WindowBuffer buffer = WindowBuffer.zeros(manager, new Shape(2, 4), 1);
            buffer.append(manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
            assertThat(buffer.all().toFloatArray()).containsExactly(1, 2, 0, 0, 3, 4, 0, 0);
            WindowBuffer second = buffer.select(manager.create(new long[] {1}));
            second.append(manager.create(new float[] {5}, new Shape(1, 1)));
            assertThat(second.all().toFloatArray()).containsExactly(3, 4, 5, 0);
            assertThat(buffer.all().toFloatArray()).as("a selection is a copy").containsExactly(1, 2, 0, 0, 3, 4, 0, 0);
        }
    }

    @Test
    void growingLeavesTheShapeOfTheArrayItStartedFromAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray callers = manager.zeros(new Shape(2, 4));
            WindowBuffer buffer = WindowBuffer.of(callers, 1);
            buffer.append(manager.ones(new Shape(2, 1)));
            assertThat(buffer.all().getShape()).isEqualTo(new Shape(2, WindowBuffer.GROWTH + 4));
            // the caller's array (a memory's validity, say) is read again by the next window over the same memory
            assertThat(callers.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(WindowBuffer.of(callers, 1).length()).isEqualTo(4);
        }
    }
}
