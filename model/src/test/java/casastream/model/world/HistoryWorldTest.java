package casastream.model.world;

import casastream.model.text.WorldText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryWorldTest {

    private static final WorldConfig HISTORY = WorldConfig.historyWorld();
    private static final int N = HISTORY.history().stayFrames();
    private static final int M = HISTORY.history().returnFrames();

    @Test
    void theDefaultWorldHasNoHistoryAndTheHistoryWorldTheArguedThresholds() {
        assertThat(WorldConfig.defaults().hasHistory()).isFalse();
        assertThat(new CameraWorld(WorldConfig.defaults(), 3).next().history()).isNull();
        assertThat(HISTORY.hasHistory()).isTrue();
        assertThat(N).isEqualTo(30);
        assertThat(M).isEqualTo(40);
        assertThat(HISTORY.scaledTo(96, 96).history()).isEqualTo(HISTORY.history());
    }

    @Test
    void historyCountsFollowPresenceExactly() {
        for (long seed = 0; seed < 60; seed++) {
            CameraWorld world = new CameraWorld(HISTORY, seed);
            int[] present = new int[ObjectType.COUNT];
            int[] absent = new int[ObjectType.COUNT];
            boolean[] returned = new boolean[ObjectType.COUNT];
            java.util.Arrays.fill(absent, HistoryState.NEVER);
            for (int f = 0; f < 400; f++) {
                WorldFrame frame = world.next();
                for (int t = 0; t < ObjectType.COUNT; t++) {
                    if (frame.types()[t].present()) {
                        if (present[t] == 0) {
                            returned[t] = absent[t] != HistoryState.NEVER && absent[t] <= M;
                        }
                        present[t]++;
                        absent[t] = 0;
                    } else {
                        absent[t] = present[t] > 0 ? 1 : absent[t] == HistoryState.NEVER ? HistoryState.NEVER : absent[t] + 1;
                        present[t] = 0;
                        returned[t] = false;
                    }
                    assertThat(frame.history()[t]).as("seed %d frame %d type %d", seed, f, t)
                            .isEqualTo(new HistoryState(present[t], absent[t], returned[t]));
                }
            }
        }
    }

    @Test
    void historyEventsAreReportedOnceWhenTheirThresholdIsCrossedAfterTheFrameEvents() {
        int stayed = 0;
        int cameBack = 0;
        int tooLate = 0;
        for (long seed = 100; seed < 160; seed++) {
            CameraWorld world = new CameraWorld(HISTORY, seed);
            HistoryState[] before = null;
            for (int f = 0; f < 500; f++) {
                WorldFrame frame = world.next();
                List<String> expectedHistory = new ArrayList<>();
                List<String> cameBackNow = new ArrayList<>();
                for (int t = 0; t < ObjectType.COUNT; t++) {
                    HistoryState h = frame.history()[t];
                    if (f > 0 && h.presentFrames() == N) {
                        expectedHistory.add(WorldText.stayed(ObjectType.of(t)));
                        stayed++;
                    }
                    boolean reentered = before != null && h.present() && !before[t].present()
                            && before[t].absentFrames() != HistoryState.NEVER;
                    if (reentered && before[t].absentFrames() <= M) {
                        cameBackNow.add(WorldText.cameBack(ObjectType.of(t)));
                        assertThat(frame.events()).contains(WorldText.entered(ObjectType.of(t)));
                        cameBack++;
                    } else if (reentered) {
                        tooLate++;
                    }
                }
                expectedHistory.addAll(cameBackNow);
                List<String> history = frame.events().stream().filter(WorldText::isHistoryEvent).toList();
                assertThat(history).as("seed %d frame %d", seed, f).isEqualTo(expectedHistory);
                // history events come last, after every left, entered and moved event
                List<String> events = frame.events();
                assertThat(events.subList(events.size() - history.size(), events.size())).isEqualTo(history);
                before = frame.history();
            }
        }
        assertThat(stayed).as("'stayed' events in 30,000 frames").isGreaterThan(300);
        assertThat(cameBack).as("'came back' events").isGreaterThan(150);
        assertThat(tooLate).as("returns after more than M frames, which are only 'entered'").isGreaterThan(cameBack);
    }

    @Test
    void historyQuestionsAreTrueAndEveryKindIsAnsweredYesAsOftenAsNo() {
        Map<String, int[]> answers = new HashMap<>();
        long frames = 0;
        long questions = 0;
        for (long seed = 200; seed < 300; seed++) {
            CameraWorld world = new CameraWorld(HISTORY, seed);
            for (int f = 0; f < 300; f++) {
                WorldFrame frame = world.next();
                frames++;
                Map<String, Boolean> truth = truth(frame);
                long yes = frame.questions().stream().filter(YesNo::answer).count();
                assertThat(yes * 2).isEqualTo(frame.questions().size());
                for (YesNo q : frame.questions()) {
                    assertThat(truth).as("seed %d frame %d", seed, f).containsEntry(q.question(), q.answer());
                    answers.computeIfAbsent(q.question(), k -> new int[2])[q.answer() ? 1 : 0]++;
                    questions++;
                }
            }
        }
        assertThat(questions).as("questions per frame").isGreaterThan(3 * frames);
        assertThat(answers.keySet()).containsAll(WorldText.allHistoryQuestions());
        // a blind model's best: answer each question text with its more frequent answer
        long best = answers.values().stream().mapToLong(a -> Math.max(a[0], a[1])).sum();
        assertThat((double) best / questions).as("accuracy of answering from the question's words alone").isLessThan(0.53);
        for (String q : List.of(WorldText.questionAnythingCameBack(), WorldText.questionEmpty(), WorldText.questionAnythingMoving())) {
            int[] a = answers.get(q);
            assertThat(Math.abs(a[0] - a[1])).as(q).isLessThanOrEqualTo(100); // within one per stream
        }
        int historyAsked = WorldText.allHistoryQuestions().stream().filter(WorldText::isHistoryQuestion)
                .mapToInt(q -> answers.get(q)[0] + answers.get(q)[1]).sum();
        // "been here long" has a yes only while a present object stayed, and each kind is answered yes as often as no
        assertThat((double) historyAsked / questions).as("share of history questions").isGreaterThan(0.08);
    }

    private static Map<String, Boolean> truth(WorldFrame frame) {
        Map<String, Boolean> truth = new HashMap<>();
        boolean any = false;
        boolean moving = false;
        boolean back = false;
        for (Colour c : Colour.values()) {
            truth.put(WorldText.question(c), false);
        }
        for (Shape s : Shape.values()) {
            truth.put(WorldText.question(s), false);
        }
        for (int i = 0; i < ObjectType.COUNT; i++) {
            ObjectType type = ObjectType.of(i);
            TypeState t = frame.types()[i];
            truth.put(WorldText.question(type), t.present());
            if (t.present()) {
                any = true;
                moving |= t.motion() != Motion.NONE;
                back |= frame.history()[i].returned();
                truth.put(WorldText.question(type.colour()), true);
                truth.put(WorldText.question(type.shape()), true);
                // asked only about present types: it needs the memory, not the image
                truth.put(WorldText.questionBeenHereLong(type), frame.history()[i].presentFrames() >= N);
            }
        }
        truth.put(WorldText.questionAnythingMoving(), moving);
        truth.put(WorldText.questionEmpty(), !any);
        truth.put(WorldText.questionAnythingCameBack(), back);
        return truth;
    }

    @Test
    void theHistoryWorldStillHasEmptyAndFullScenesAndLongVisits() {
        WorldStatistics stats = WorldStatistics.measure(HISTORY, SeedRanges.TRAIN.first(), 100, 300);
        for (int n = 0; n <= 3; n++) {
            assertThat(stats.objectCountShare()[n]).as("frames with %d objects", n).isGreaterThan(0.05);
        }
        assertThat(stats.entryExitShare()).as("frames with entered/left").isBetween(0.03, 0.15);
    }

    @Test
    void probeClassesCoverEveryStateOnce() {
        HistoryRules rules = HISTORY.history();
        assertThat(HistoryState.probeClasses(rules)).isEqualTo(2 * N + M + 1);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int p = 1; p <= N; p++) {
            seen.add(new HistoryState(p, 0, false).probeClass(rules));
            seen.add(new HistoryState(p, 0, true).probeClass(rules));
        }
        for (int a = 1; a <= M; a++) {
            seen.add(new HistoryState(0, a, false).probeClass(rules));
        }
        seen.add(HistoryState.UNSEEN.probeClass(rules));
        assertThat(seen).hasSize(2 * N + M + 1).allMatch(c -> c >= 0 && c < 2 * N + M + 1);
        assertThat(new HistoryState(0, M + 1, false).probeClass(rules)).isEqualTo(HistoryState.UNSEEN.probeClass(rules));
        assertThat(new HistoryState(N + 7, 0, false).probeClass(rules)).isEqualTo(new HistoryState(N, 0, false).probeClass(rules));
    }

    @Test
    void badHistoryRulesAreRejected() {
        assertThatThrownBy(() -> new HistoryRules(1, 40, 0.5, 80)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stayFrames");
        assertThatThrownBy(() -> new HistoryRules(30, 40, 1.5, 80)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returnProbability");
        assertThatThrownBy(() -> new HistoryState(0, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyWorldStreamsReplayAndKeepTheirImagesApartFromTheQuestions() {
        assertThat(new CameraWorld(HISTORY, 9).next(200)).isEqualTo(new CameraWorld(HISTORY, 9).next(200));
        List<WorldFrame> fewer = new CameraWorld(HISTORY.toBuilder().questionsPerFrame(2).build(), 9).next(100);
        List<WorldFrame> more = new CameraWorld(HISTORY, 9).next(100);
        for (int i = 0; i < 100; i++) {
            assertThat(fewer.get(i).rgb()).isEqualTo(more.get(i).rgb());
            assertThat(fewer.get(i).events()).isEqualTo(more.get(i).events());
        }
    }
}
