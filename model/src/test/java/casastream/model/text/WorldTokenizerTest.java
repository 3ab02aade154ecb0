package casastream.model.text;

import casastream.model.world.CameraWorld;
import casastream.model.world.Motion;
import casastream.model.world.ObjectType;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorldTokenizerTest {

    private final WorldTokenizer tokenizer = WorldTokenizer.instance();

    /** Every caption (each set of up to three types), every single event, question and answer, and the texts of real streams. */
    private static Set<String> everyWorldText() {
        Set<String> texts = new LinkedHashSet<>();
        int n = ObjectType.COUNT;
        texts.add(WorldText.caption(List.of()));
        for (int a = 0; a < n; a++) {
            texts.add(WorldText.caption(List.of(ObjectType.of(a))));
            for (int b = a + 1; b < n; b++) {
                texts.add(WorldText.caption(List.of(ObjectType.of(a), ObjectType.of(b))));
                for (int c = b + 1; c < n; c++) {
                    texts.add(WorldText.caption(List.of(ObjectType.of(a), ObjectType.of(b), ObjectType.of(c))));
                }
            }
        }
        for (int t = 0; t < n; t++) {
            ObjectType type = ObjectType.of(t);
            texts.add(WorldText.entered(type));
            texts.add(WorldText.left(type));
            for (Motion m : Motion.values()) {
                if (m != Motion.NONE) {
                    texts.add(WorldText.moved(type, m));
                }
            }
        }
        texts.addAll(WorldText.allQuestions());
        texts.add(WorldText.answer(true));
        texts.add(WorldText.answer(false));
        for (long seed = 0; seed < 40; seed++) {
            for (WorldFrame frame : new CameraWorld(WorldConfig.defaults(), seed).next(30)) {
                texts.add(frame.caption());
                texts.add(WorldText.events(frame.events()));
                frame.questions().stream().map(YesNo::question).forEach(texts::add);
            }
        }
        return texts;
    }

    @Test
    void everyWorldTextRoundTripsWithoutUnknownWords() {
        Set<String> texts = everyWorldText();
        assertThat(texts).hasSizeGreaterThan(299 + 72 + 21);
        int unknown = tokenizer.id(Special.UNKNOWN);
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            assertThat(ids).as(text).isNotEmpty().doesNotContain(unknown);
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
    }

    @Test
    void encodingDecodedIdsGivesTheIdsBack() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            int[] ids = new int[random.nextInt(0, 12)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(tokenizer.vocabSize());
            }
            assertThat(tokenizer.encode(tokenizer.decode(ids))).as(tokenizer.decode(ids)).isEqualTo(ids);
        }
    }

    @Test
    void unknownWordsBecomeTheUnknownToken() {
        int[] ids = tokenizer.encode("a purple hexagon entered");
        int unknown = tokenizer.id(Special.UNKNOWN);
        assertThat(ids).hasSize(4);
        assertThat(ids[1]).isEqualTo(unknown);
        assertThat(ids[2]).isEqualTo(unknown);
        assertThat(tokenizer.decode(ids)).isEqualTo("a <unk> <unk> entered");
    }

    @Test
    void punctuationIsItsOwnTokenEvenWhenGlued() {
        assertThat(tokenizer.encode("circle,square;triangle?")).isEqualTo(tokenizer.encode("circle , square ; triangle ?"));
        assertThat(tokenizer.encode("  Is THERE a Circle ?  ")).isEqualTo(tokenizer.encode("is there a circle ?"));
        assertThat(tokenizer.encode("")).isEmpty();
        assertThat(tokenizer.encode("   ")).isEmpty();
    }

    @Test
    void specialsComeFirstWithPadAtZeroAndDecodeAsWritten() {
        assertThat(tokenizer.id(Special.PAD)).isZero();
        Set<Integer> ids = new LinkedHashSet<>();
        for (Special s : Special.values()) {
            ids.add(tokenizer.id(s));
            assertThat(tokenizer.encode(s.text())).containsExactly(tokenizer.id(s));
        }
        assertThat(ids).hasSize(Special.values().length);
        int[] withEos = concat(tokenizer.encode("a red circle"), tokenizer.id(Special.EOS), tokenizer.id(Special.PAD));
        assertThat(tokenizer.decode(withEos)).isEqualTo("a red circle <eos> <pad>");
    }

    @Test
    void theNameIdentifiesTheVocabulary() {
        assertThat(tokenizer.name()).isEqualTo(new WorldTokenizer().name()).startsWith("world-words-" + tokenizer.vocabSize() + "-");
        assertThat(tokenizer.vocabSize()).isEqualTo(Special.values().length + WorldText.words().size());
    }

    @Test
    void theHistoryVocabularyAppendsItsWordsSoEveryOldIdKeepsItsMeaning() {
        WorldTokenizer history = WorldTokenizer.history();
        assertThat(history.vocabSize()).isEqualTo(tokenizer.vocabSize() + WorldText.historyWords().size());
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            assertThat(history.token(id)).as("id %d", id).isEqualTo(tokenizer.token(id));
        }
        assertThat(history.name()).isNotEqualTo(tokenizer.name());
        assertThat(WorldTokenizer.named(history.name())).isSameAs(history);
        assertThat(WorldTokenizer.named(tokenizer.name())).isSameAs(tokenizer);
        assertThatThrownBy(() -> WorldTokenizer.named("world-words-36-0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(history.name());
        assertThat(history.knowsAll(WorldText.historyWords())).isTrue();
        assertThat(tokenizer.knowsAll(WorldText.historyWords())).isFalse();
        // every history text survives the round trip, and only the history vocabulary knows it
        List<String> texts = new ArrayList<>(WorldText.allHistoryQuestions());
        for (int i = 0; i < ObjectType.COUNT; i++) {
            texts.add(WorldText.stayed(ObjectType.of(i)));
            texts.add(WorldText.cameBack(ObjectType.of(i)));
        }
        for (String text : texts) {
            assertThat(history.decode(history.encode(text))).isEqualTo(text);
            assertThat(history.encode(text)).doesNotContain(history.id(Special.UNKNOWN));
        }
        assertThat(tokenizer.encode(WorldText.stayed(ObjectType.of(0)))).contains(tokenizer.id(Special.UNKNOWN));
    }

    @Test
    void eachVocabularySelectsItsWorld() {
        assertThat(casastream.model.world.WorldConfig.forVocabulary(tokenizer)).isEqualTo(casastream.model.world.WorldConfig.defaults());
        assertThat(casastream.model.world.WorldConfig.forVocabulary(WorldTokenizer.history()))
                .isEqualTo(casastream.model.world.WorldConfig.historyWorld());
    }

    @Test
    void aCheckpointFromAnotherVocabularyIsRefused() {
        tokenizer.requireSameVocabulary(tokenizer.name());
        assertThatThrownBy(() -> tokenizer.requireSameVocabulary("world-words-36-0"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("world-words-36-0").hasMessageContaining(tokenizer.name());
    }

    @Test
    void anIdOutsideTheVocabularyIsRejectedClearly() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {tokenizer.vocabSize()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tokenizer.name());
        assertThatThrownBy(() -> tokenizer.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokenizer.encode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] concat(int[] ids, int... more) {
        List<Integer> all = new ArrayList<>();
        for (int id : ids) {
            all.add(id);
        }
        for (int id : more) {
            all.add(id);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
