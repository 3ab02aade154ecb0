package casastream.model.text;

import casastream.model.world.Colour;
import casastream.model.world.Motion;
import casastream.model.world.ObjectType;
import casastream.model.world.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class WorldTextTest {

    private static final ObjectType RED_CIRCLE = new ObjectType(Colour.RED, Shape.CIRCLE);
    private static final ObjectType BLUE_SQUARE = new ObjectType(Colour.BLUE, Shape.SQUARE);
    private static final ObjectType GREEN_TRIANGLE = new ObjectType(Colour.GREEN, Shape.TRIANGLE);

    @Test
    void captionsNameTypesInTheFixedOrderWhateverTheInputOrder() {
        assertThat(WorldText.caption(List.of())).isEqualTo("nothing");
        assertThat(WorldText.caption(List.of(RED_CIRCLE))).isEqualTo("a red circle");
        assertThat(WorldText.caption(List.of(BLUE_SQUARE, RED_CIRCLE))).isEqualTo("a red circle and a blue square");
        assertThat(WorldText.caption(List.of(BLUE_SQUARE, GREEN_TRIANGLE, RED_CIRCLE)))
                .isEqualTo("a red circle, a green triangle and a blue square");
    }

    @Test
    void eventsHaveTheirCanonicalForms() {
        assertThat(WorldText.entered(GREEN_TRIANGLE)).isEqualTo("a green triangle entered");
        assertThat(WorldText.left(RED_CIRCLE)).isEqualTo("the red circle left");
        assertThat(WorldText.moved(BLUE_SQUARE, Motion.LEFT)).isEqualTo("the blue square moved left");
        assertThat(WorldText.isMotionEvent("the blue square moved left")).isTrue();
        assertThat(WorldText.isMotionEvent("The  Blue square MOVED up ")).isTrue();
        assertThat(WorldText.isMotionEvent("the red circle left")).isFalse();
        assertThat(WorldText.isMotionEvent("a green triangle entered")).isFalse();
    }

    @Test
    void eventsTextJoinsAndParsesBack() {
        List<String> events = List.of("the red circle left", "a green triangle entered", "the blue square moved up");
        String text = WorldText.events(events);
        assertThat(text).isEqualTo("the red circle left ; a green triangle entered ; the blue square moved up");
        assertThat(WorldText.parseEvents(text)).isEqualTo(events);
        assertThat(WorldText.events(List.of())).isEqualTo("none");
        assertThat(WorldText.parseEvents("none")).isEmpty();
    }

    @Test
    void parsingEventsToleratesWhatAModelMightWrite() {
        assertThat(WorldText.parseEvents(null)).isEmpty();
        assertThat(WorldText.parseEvents("")).isEmpty();
        assertThat(WorldText.parseEvents(" ;; none ; ")).isEmpty();
        assertThat(WorldText.parseEvents("The Red  circle left;the red circle left ; ; blah"))
                .containsExactly("the red circle left", "blah");
    }

    @Test
    void questionsAndAnswersHaveTheirCanonicalForms() {
        assertThat(WorldText.question(BLUE_SQUARE)).isEqualTo("is there a blue square ?");
        assertThat(WorldText.question(Colour.RED)).isEqualTo("is there a red thing ?");
        assertThat(WorldText.question(Shape.CIRCLE)).isEqualTo("is there a circle ?");
        assertThat(WorldText.allQuestions()).hasSize(ObjectType.COUNT + 4 + 3 + 2).doesNotHaveDuplicates();
        assertThat(WorldText.answer(true)).isEqualTo("yes");
        assertThat(WorldText.answer(false)).isEqualTo("no");
        assertThat(WorldText.parseAnswer(" Yes ")).contains(true);
        assertThat(WorldText.parseAnswer("no")).contains(false);
        assertThat(WorldText.parseAnswer("maybe")).isEqualTo(Optional.empty());
        assertThat(WorldText.parseAnswer(null)).isEqualTo(Optional.empty());
    }

    @Test
    void normalisingAttachesCommasAndCollapsesWhitespace() {
        assertThat(WorldText.normalise("  A red circle ,  a blue square and a green TRIANGLE ")).isEqualTo("a red circle, a blue square and a green triangle");
        assertThat(WorldText.normalise(null)).isEmpty();
    }
}
