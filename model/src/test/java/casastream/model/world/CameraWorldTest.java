package casastream.model.world;

import casastream.model.text.WorldText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraWorldTest {

    private static final WorldConfig CONFIG = WorldConfig.defaults();

    @Test
    void sameConfigAndSeedReplayTheSameFrames() {
        List<WorldFrame> first = new CameraWorld(CONFIG, 42).next(60);
        List<WorldFrame> again = new CameraWorld(CONFIG, 42).next(60);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void theFrameToFrameWorldStaysTheOneTheShippedModelWasTrainedOn() {
        // a digest of pixels, captions, events and questions measured before the history world existed
        long digest = 0;
        for (long seed = 850_000; seed < 850_020; seed++) {
            CameraWorld world = new CameraWorld(CONFIG, seed);
            for (int i = 0; i < 60; i++) {
                WorldFrame f = world.next();
                assertThat(f.history()).isNull();
                digest = digest * 31 + java.util.Arrays.hashCode(f.rgb());
                digest = digest * 31 + f.caption().hashCode();
                digest = digest * 31 + f.events().hashCode();
                digest = digest * 31 + f.questions().hashCode();
            }
        }
        assertThat(digest).isEqualTo(-3022947033139941421L);
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        List<WorldFrame> a = new CameraWorld(CONFIG, 1).next(20);
        List<WorldFrame> b = new CameraWorld(CONFIG, 2).next(20);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).rgb()).as("frame %d", i).isNotEqualTo(b.get(i).rgb());
        }
        assertThat(a.stream().map(WorldFrame::caption).toList()).isNotEqualTo(b.stream().map(WorldFrame::caption).toList());
    }

    @Test
    void changingTheQuestionCountLeavesTheImagesAlone() {
        WorldConfig fewer = CONFIG.toBuilder().questionsPerFrame(2).build();
        List<WorldFrame> a = new CameraWorld(CONFIG, 7).next(30);
        List<WorldFrame> b = new CameraWorld(fewer, 7).next(30);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).rgb()).isEqualTo(a.get(i).rgb());
            assertThat(b.get(i).events()).isEqualTo(a.get(i).events());
            assertThat(b.get(i).questions()).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void framesHaveTheConfiguredSize() {
        WorldConfig wide = CONFIG.scaledTo(96, 80);
        WorldFrame frame = new CameraWorld(wide, 3).next();
        assertThat(frame.width()).isEqualTo(96);
        assertThat(frame.height()).isEqualTo(80);
        assertThat(frame.rgb()).hasSize(96 * 80 * 3);
        assertThat(frame.types()).hasSize(ObjectType.COUNT);
        assertThat(wide.minObjectSize()).isEqualTo(CONFIG.minObjectSize() * 80 / 64);
    }

    @Test
    void firstFrameHasNoEventsAndNoPast() {
        for (long seed = 0; seed < 50; seed++) {
            WorldFrame first = new CameraWorld(CONFIG, seed).next();
            assertThat(first.index()).isZero();
            assertThat(first.events()).isEmpty();
            for (TypeState t : first.types()) {
                assertThat(t.presentBefore()).isFalse();
                assertThat(t.motion()).isEqualTo(Motion.NONE);
            }
        }
    }

    @Test
    void presenceMarginsSayWhichTypesArePresentAndWhichAreNearTheThreshold() {
        int borderline = 0;
        int frames = 0;
        for (long seed = 100; seed < 140; seed++) {
            for (WorldFrame frame : new CameraWorld(CONFIG, seed).next(60)) {
                frames++;
                for (int t = 0; t < ObjectType.COUNT; t++) {
                    float margin = frame.presenceMargin()[t];
                    if (frame.types()[t].present()) {
                        assertThat(margin).as("a present type's margin").isGreaterThanOrEqualTo(0f);
                    } else {
                        assertThat(Float.isNaN(margin) || margin < 0).as("an absent type's margin %s", margin).isTrue();
                    }
                    assertThat(Float.isNaN(margin) || (margin >= -1 && margin <= 1)).isTrue();
                }
                borderline += frame.presenceBorderline(0.15) ? 1 : 0;
            }
        }
        assertThat(borderline).as("frames with an object near the threshold").isBetween(frames / 50, frames / 2);
    }

    @Test
    void captionsAndEventsAgreeWithTheTypeStates() {
        for (long seed = 100; seed < 300; seed++) {
            CameraWorld world = new CameraWorld(CONFIG, seed);
            TypeState[] before = null;
            for (int f = 0; f < 40; f++) {
                WorldFrame frame = world.next();
                List<ObjectType> present = new ArrayList<>();
                List<String> left = new ArrayList<>();
                List<String> entered = new ArrayList<>();
                List<String> moved = new ArrayList<>();
                for (int i = 0; i < ObjectType.COUNT; i++) {
                    ObjectType type = ObjectType.of(i);
                    TypeState t = frame.types()[i];
                    assertThat(t.presentBefore()).isEqualTo(before != null && before[i].present());
                    if (t.present()) {
                        present.add(type);
                    }
                    if (before != null && t.left()) {
                        left.add("the " + type.words() + " left");
                    }
                    if (before != null && t.entered()) {
                        entered.add("a " + type.words() + " entered");
                    }
                    if (t.motion() != Motion.NONE) {
                        assertThat(t.present() && t.presentBefore()).isTrue();
                        double dx = t.dx() * frame.width();
                        double dy = t.dy() * frame.height();
                        assertThat(Math.hypot(dx, dy)).isGreaterThanOrEqualTo(CONFIG.moveThreshold());
                        assertThat(t.motion()).isEqualTo(Math.abs(dx) >= Math.abs(dy)
                                ? (dx < 0 ? Motion.LEFT : Motion.RIGHT) : (dy < 0 ? Motion.UP : Motion.DOWN));
                        moved.add("the " + type.words() + " moved " + t.motion().word());
                    } else if (t.present() && t.presentBefore()) {
                        assertThat(Math.hypot(t.dx() * frame.width(), t.dy() * frame.height())).isLessThan(CONFIG.moveThreshold());
                    }
                }
                List<String> expected = new ArrayList<>(left);
                expected.addAll(entered);
                expected.addAll(moved);
                assertThat(frame.events()).as("seed %d frame %d", seed, f).isEqualTo(expected);
                assertThat(frame.caption()).isEqualTo(WorldText.caption(present));
                before = frame.types();
            }
        }
    }

    @Test
    void questionsAreBalancedAndTrue() {
        for (long seed = 0; seed < 100; seed++) {
            CameraWorld world = new CameraWorld(CONFIG, seed);
            for (int f = 0; f < 30; f++) {
                WorldFrame frame = world.next();
                Map<String, Boolean> truth = answers(frame.types());
                long yes = frame.questions().stream().filter(YesNo::answer).count();
                assertThat(frame.questions()).isNotEmpty();
                assertThat(yes * 2).isEqualTo(frame.questions().size());
                assertThat(frame.questions().stream().map(YesNo::question).distinct().count()).isEqualTo(frame.questions().size());
                for (YesNo q : frame.questions()) {
                    assertThat(truth).containsEntry(q.question(), q.answer());
                }
            }
        }
    }

    /** The answer to every question, computed independently from the type states. */
    private static Map<String, Boolean> answers(TypeState[] types) {
        Map<String, Boolean> truth = new HashMap<>();
        boolean any = false;
        boolean moving = false;
        for (Colour c : Colour.values()) {
            truth.put("is there a " + c.word() + " thing ?", false);
        }
        for (Shape s : Shape.values()) {
            truth.put("is there a " + s.word() + " ?", false);
        }
        for (int i = 0; i < types.length; i++) {
            ObjectType type = ObjectType.of(i);
            truth.put("is there a " + type.words() + " ?", types[i].present());
            if (types[i].present()) {
                any = true;
                moving |= types[i].motion() != Motion.NONE;
                truth.put("is there a " + type.colour().word() + " thing ?", true);
                truth.put("is there a " + type.shape().word() + " ?", true);
            }
        }
        truth.put("is anything moving ?", moving);
        truth.put("is the scene empty ?", !any);
        return truth;
    }

    @Test
    void aLoneObjectIsDrawnInItsColourAtItsPosition() {
        int checked = 0;
        for (long seed = 0; seed < 200 && checked < 300; seed++) {
            CameraWorld world = new CameraWorld(CONFIG, seed);
            for (int f = 0; f < 20; f++) {
                WorldFrame frame = world.next();
                if (frame.presentCount() != 1) {
                    continue;
                }
                for (int i = 0; i < ObjectType.COUNT; i++) {
                    TypeState t = frame.types()[i];
                    if (t.present() && t.x() > 0.15 && t.x() < 0.85 && t.y() > 0.15 && t.y() < 0.85) {
                        int p = ((int) (t.y() * frame.height()) * frame.width() + (int) (t.x() * frame.width())) * 3;
                        Colour seen = nearestColour(frame.rgb()[p] & 0xFF, frame.rgb()[p + 1] & 0xFF, frame.rgb()[p + 2] & 0xFF);
                        assertThat(seen).as("seed %d frame %d: %s", seed, f, frame.caption()).isEqualTo(ObjectType.of(i).colour());
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    /** The colour whose chromaticity (RGB divided by its sum) is nearest, so brightness does not matter. */
    private static Colour nearestColour(int r, int g, int b) {
        double sum = r + g + b;
        Colour best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Colour c : Colour.values()) {
            double cs = c.red() + c.green() + c.blue();
            double d = Math.pow(r / sum - c.red() / cs, 2) + Math.pow(g / sum - c.green() / cs, 2) + Math.pow(b / sum - c.blue() / cs, 2);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    @Test
    void theWorldLooksLikeItsSpecificationOverManyStreams() {
        WorldStatistics stats = WorldStatistics.measure(CONFIG, SeedRanges.TRAIN.first(), 200, 40);
        assertThat(stats.objectCountShare()[0]).as("empty frames").isBetween(0.12, 0.28);
        for (int n = 1; n <= 3; n++) {
            assertThat(stats.objectCountShare()[n]).as("frames with %d objects", n).isGreaterThan(0.10);
        }
        assertThat(stats.entryExitShare()).as("frames with entered/left").isBetween(0.13, 0.27);
        assertThat(stats.stillShare()).as("still object-frames").isBetween(0.24, 0.40);
        for (double share : stats.directionShare()) {
            assertThat(share).as("direction share").isBetween(0.2, 0.3);
        }
        assertThat(stats.yesShare()).isEqualTo(0.5);
    }

    @Test
    void aBadConfigurationIsRejectedWithTheKnobNamed() {
        assertThatThrownBy(() -> WorldConfig.builder().maxObjects(13).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxObjects");
        assertThatThrownBy(() -> WorldConfig.builder().questionsPerFrame(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("questionsPerFrame");
        assertThatThrownBy(() -> WorldConfig.builder().size(20, 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxObjectSize");
        assertThatThrownBy(() -> new CameraWorld(null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyWorldStaysEmpty() {
        WorldConfig none = WorldConfig.builder().maxObjects(0).build();
        for (WorldFrame frame : new CameraWorld(none, 5).next(20)) {
            assertThat(frame.caption()).isEqualTo("nothing");
            assertThat(frame.events()).isEmpty();
            assertThat(frame.questions()).containsExactlyInAnyOrder(
                    new YesNo("is the scene empty ?", true), frame.questions().stream().filter(q -> !q.answer()).findFirst().orElseThrow());
        }
    }
}
