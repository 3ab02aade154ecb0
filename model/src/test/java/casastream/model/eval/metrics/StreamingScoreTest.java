package casastream.model.eval.metrics;

import casastream.model.world.CameraWorld;
import casastream.model.world.ObjectType;
import casastream.model.world.TypeState;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import casastream.model.text.WorldText;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StreamingScoreTest {

    private static final String RED_LEFT = "the red circle left";
    private static final String GREEN_ENTERED = "a green triangle entered";
    private static final String BLUE_MOVED_LEFT = "the blue square moved left";
    private static final String BLUE_MOVED_UP = "the blue square moved up";

    /** A hand-made frame: only the texts matter to the score. */
    private static WorldFrame frame(String caption, List<String> events, YesNo... questions) {
        TypeState[] types = new TypeState[ObjectType.COUNT];
        Arrays.fill(types, TypeState.ABSENT);
        return new WorldFrame(0, 0, 16, 16, new byte[16 * 16 * 3], caption, events, List.of(questions), types);
    }

    private static Map<String, Boolean> answersOf(WorldFrame frame) {
        Map<String, Boolean> answers = new HashMap<>();
        frame.questions().forEach(q -> answers.put(q.question(), q.answer()));
        return answers;
    }

    @Test
    void theGroundTruthItselfScoresOneEverywhere() {
        StreamingScore score = new StreamingScore();
        for (long seed = 0; seed < 10; seed++) {
            for (WorldFrame f : new CameraWorld(WorldConfig.defaults(), seed).next(30)) {
                score.add(f, f.caption(), WorldText.events(f.events()), answersOf(f));
            }
        }
        Scores s = score.result();
        assertThat(s.frames()).isEqualTo(300);
        assertThat(List.of(s.captionExactMatch(), s.eventPrecision(), s.eventRecall(), s.eventF1(),
                s.motionPrecision(), s.motionRecall(), s.motionF1(), s.yesnoAccuracy())).containsOnly(1.0);
    }

    @Test
    void inTheHistoryWorldTheGroundTruthScoresOneAndHistoryFiguresAreReported() {
        StreamingScore score = new StreamingScore(true);
        for (long seed = 0; seed < 10; seed++) {
            for (WorldFrame f : new CameraWorld(WorldConfig.historyWorld(), seed).next(200)) {
                score.add(f, f.caption(), WorldText.events(f.events()), answersOf(f));
            }
        }
        Scores s = score.result();
        assertThat(s.history()).isTrue();
        assertThat(List.of(s.eventF1(), s.historyPrecision(), s.historyRecall(), s.historyF1(), s.historyYesnoAccuracy(),
                s.yesnoAccuracy())).containsOnly(1.0);
        assertThat(s.asMetrics()).containsKeys("history_precision", "history_recall", "history_f1", "history_yesno_accuracy");
        assertThat(new StreamingScore().result().asMetrics()).doesNotContainKey("history_f1");
    }

    @Test
    void historyEventsAreScoredOnTheirOwnAndWithTheOthers() {
        String stayed = "the red circle stayed";
        String back = "the blue square came back";
        StreamingScore score = new StreamingScore(true);
        WorldFrame f = frame("a red circle and a blue square", List.of("a blue square entered", stayed, back),
                new YesNo("did anything come back ?", true), new YesNo("is there a red circle ?", true));
        // one history event right, one missed, one made up; the frame event right
        score.add(f, f.caption(), "a blue square entered ; the red circle stayed ; the green circle came back",
                Map.of("did anything come back ?", false, "is there a red circle ?", true));
        Scores s = score.result();
        assertThat(s.historyPrecision()).isCloseTo(0.5, within(1e-9));
        assertThat(s.historyRecall()).isCloseTo(0.5, within(1e-9));
        assertThat(s.eventPrecision()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(s.eventRecall()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(s.historyYesnoAccuracy()).isZero();
        assertThat(s.yesnoAccuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(WorldText.isHistoryEvent(stayed)).isTrue();
        assertThat(WorldText.isHistoryEvent(back)).isTrue();
        assertThat(WorldText.isHistoryEvent("the red circle moved left")).isFalse();
        assertThat(WorldText.isMotionEvent(back)).isFalse();
    }

    @Test
    void captionsMustMatchExactlyUpToCaseAndSpacing() {
        StreamingScore score = new StreamingScore();
        WorldFrame f = frame("a red circle and a blue square", List.of());
        score.add(f, "  A red circle and a  blue square ", "none", Map.of());
        score.add(f, "a blue square and a red circle", "none", Map.of());
        score.add(f, "a red circle", "none", Map.of());
        score.add(f, null, "none", Map.of());
        assertThat(score.result().captionExactMatch()).isEqualTo(0.25);
    }

    @Test
    void eventPrecisionAndRecallAreMicroAveragedOverFrames() {
        StreamingScore score = new StreamingScore();
        // frame 1: truth {red left, green entered}, predicted {red left, blue moved left}: 1 TP, 1 FP, 1 FN
        score.add(frame("a green triangle", List.of(RED_LEFT, GREEN_ENTERED)), "a green triangle",
                RED_LEFT + " ; " + BLUE_MOVED_LEFT, Map.of());
        // frame 2: truth {blue moved up}, predicted {blue moved up, green entered, junk}: 1 TP, 2 FP
        score.add(frame("a blue square", List.of(BLUE_MOVED_UP)), "a blue square",
                BLUE_MOVED_UP + " ; " + GREEN_ENTERED + " ; the purple thing danced", Map.of());
        Scores s = score.result();
        assertThat(s.eventPrecision()).isCloseTo(2.0 / 5, within(1e-12));
        assertThat(s.eventRecall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.eventF1()).isCloseTo(2 * (0.4 * 2.0 / 3) / (0.4 + 2.0 / 3), within(1e-12));
    }

    @Test
    void motionScoresCountMovementEventsOnly() {
        StreamingScore score = new StreamingScore();
        // entered/left right, movement direction wrong: events half right, motion all wrong
        score.add(frame("a green triangle and a blue square", List.of(RED_LEFT, GREEN_ENTERED, BLUE_MOVED_LEFT)),
                "", RED_LEFT + " ; " + GREEN_ENTERED + " ; " + BLUE_MOVED_UP, Map.of());
        // a movement found, an entry missed
        score.add(frame("a green triangle and a blue square", List.of(GREEN_ENTERED, BLUE_MOVED_UP)),
                "", BLUE_MOVED_UP, Map.of());
        Scores s = score.result();
        assertThat(s.motionPrecision()).isEqualTo(0.5);
        assertThat(s.motionRecall()).isEqualTo(0.5);
        assertThat(s.motionF1()).isEqualTo(0.5);
        assertThat(s.eventPrecision()).isEqualTo(3.0 / 4);
        assertThat(s.eventRecall()).isEqualTo(3.0 / 5);
    }

    @Test
    void predictingNoEventsFindsNothing() {
        StreamingScore score = new StreamingScore();
        score.add(frame("a red circle", List.of(BLUE_MOVED_LEFT)), "a red circle", "none", Map.of());
        Scores s = score.result();
        assertThat(s.eventPrecision()).isZero();
        assertThat(s.eventRecall()).isZero();
        assertThat(s.eventF1()).isZero();
        assertThat(s.motionF1()).isZero();
    }

    @Test
    void quietFramesPredictedQuietAreNotPenalised() {
        StreamingScore score = new StreamingScore();
        score.add(frame("nothing", List.of()), "nothing", "none", Map.of());
        score.add(frame("nothing", List.of()), "nothing", null, Map.of());
        assertThat(score.result().eventF1()).isEqualTo(1.0);
        assertThat(score.result().motionF1()).isEqualTo(1.0);
    }

    @Test
    void unansweredQuestionsCountAsWrongAndExtraAnswersAreIgnored() {
        StreamingScore score = new StreamingScore();
        WorldFrame f = frame("a red circle", List.of(),
                new YesNo("is there a red circle ?", true), new YesNo("is there a square ?", false),
                new YesNo("is there a red thing ?", true), new YesNo("is the scene empty ?", false));
        Map<String, Boolean> partial = new HashMap<>();
        partial.put("Is there a red  circle ?", true);   // right, despite case and spacing
        partial.put("is there a square ?", true);        // wrong
        partial.put("is there a circle ?", true);        // not asked: ignored
        score.add(f, "a red circle", "none", partial);
        assertThat(score.result().yesnoAccuracy()).isEqualTo(0.25);
        score.add(f, "a red circle", "none", null);
        assertThat(score.result().yesnoAccuracy()).isEqualTo(1.0 / 8);
    }

    @Test
    void mergingScoresEqualsAddingAllFramesToOne() {
        List<WorldFrame> frames = new CameraWorld(WorldConfig.defaults(), 21).next(40);
        StreamingScore all = new StreamingScore();
        StreamingScore first = new StreamingScore();
        StreamingScore second = new StreamingScore();
        for (int i = 0; i < frames.size(); i++) {
            WorldFrame f = frames.get(i);
            // a model that always says "nothing happened" and "no"
            Map<String, Boolean> no = new HashMap<>();
            f.questions().forEach(q -> no.put(q.question(), false));
            all.add(f, "nothing", "none", no);
            (i < 17 ? first : second).add(f, "nothing", "none", no);
        }
        first.merge(second);
        assertThat(first.result()).isEqualTo(all.result());
        assertThat(all.result().yesnoAccuracy()).isEqualTo(0.5);
    }

    @Test
    void metricsCarryTheirReportNames() {
        StreamingScore score = new StreamingScore();
        score.add(frame("nothing", List.of()), "nothing", "none", Map.of());
        Scores s = score.result();
        assertThat(s.asMetrics()).containsKeys("caption_exact_match", "event_f1", "motion_f1", "yesno_accuracy")
                .containsEntry("frames", 1L);
        assertThat(s.describe()).startsWith("caption_exact_match=1.000 ").contains("motion_f1=1.000");
    }
}
