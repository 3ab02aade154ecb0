package casastream.model.decode;

import casastream.model.CasaConfig;
import casastream.model.text.Special;
import casastream.model.text.Tokenizer;
import casastream.model.text.WorldText;

import java.util.Arrays;

/**
 * Places a frame's texts at their fixed window positions (see {@link CasaConfig}): the gist slots,
 * the caption segment, the events segment and the right-aligned question segment. Training and
 * decoding both build their token rows here, so they agree on every position.
 */
public final class WindowLayout {

    /** Target value of a position that carries no loss. */
    public static final int NO_TARGET = -1;

    private final CasaConfig config;
    private final Tokenizer tokenizer;
    private final int pad;
    private final int eos;

    public WindowLayout(CasaConfig config, Tokenizer tokenizer) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.pad = tokenizer.id(Special.PAD);
        this.eos = tokenizer.id(Special.EOS);
    }

    /**
     * One teacher-forced window.
     *
     * @param tokens    (W) ids, gist slots as vocabSize + slot
     * @param valid     (W) 1 for a real token, 0 for a pad
     * @param targets   (W) the id position i must predict next, or {@link #NO_TARGET}
     * @param truncated whether a text was longer than its segment and was cut
     */
    public record Window(int[] tokens, float[] valid, int[] targets, boolean truncated) {
    }

    /** The window of a frame with its caption, events text and (when question is not null) one answered question. */
    public Window teacherForced(String caption, String events, String question, boolean answer) {
        int w = config.windowLength();
        int[] tokens = new int[w];
        float[] valid = new float[w];
        int[] targets = new int[w];
        Arrays.fill(tokens, pad);
        Arrays.fill(targets, NO_TARGET);
        int[] prefix = prefix();
        System.arraycopy(prefix, 0, tokens, 0, prefix.length);
        Arrays.fill(valid, 0, prefix.length, 1f);
        boolean truncated = segment(caption, config.captionStart(), config.textTail(), tokens, valid, targets);
        int eventsMarker = tokenizer.id(Special.EVENTS);
        tokens[config.eventsStart()] = eventsMarker;
        valid[config.eventsStart()] = 1f;
        truncated |= segment(events, config.eventsStart(), config.eventTokens(), tokens, valid, targets);
        if (question != null) {
            int[] chunk = questionChunk(question);
            int start = config.questionStart();
            for (int i = 0; i < chunk.length; i++) {
                tokens[start + i] = chunk[i];
                valid[start + i] = chunk[i] == pad ? 0f : 1f;
            }
            int answerPosition = answerPosition();
            tokens[answerPosition] = tokenizer.encode(WorldText.answer(answer))[0];
            tokens[answerPosition + 1] = eos;
            valid[answerPosition] = 1f;
            valid[answerPosition + 1] = 1f;
            targets[answerPosition - 1] = tokens[answerPosition];
            targets[answerPosition] = eos;
            truncated |= questionTruncated(question);
        }
        return new Window(tokens, valid, targets, truncated);
    }

    /** Writes marker, text and EOS into a segment (its marker already placed by the prefix for the caption). */
    private boolean segment(String text, int start, int length, int[] tokens, float[] valid, int[] targets) {
        int[] words = tokenizer.encode(text);
        int room = length - 2;
        boolean truncated = words.length > room;
        int count = Math.min(words.length, room);
        for (int i = 0; i < count; i++) {
            tokens[start + 1 + i] = words[i];
            valid[start + 1 + i] = 1f;
        }
        tokens[start + 1 + count] = eos;
        valid[start + 1 + count] = 1f;
        for (int i = 0; i <= count; i++) {
            targets[start + i] = tokens[start + 1 + i];
        }
        return truncated;
    }

    /** The tokens fed to open a window: the k gist slots and the caption marker. */
    public int[] prefix() {
        int k = config.gistTokens();
        int[] prefix = new int[k + 1];
        for (int i = 0; i < k; i++) {
            prefix[i] = config.vocabSize() + i;
        }
        prefix[k] = tokenizer.id(Special.CAPTION);
        return prefix;
    }

    /**
     * The question segment up to and including the answer marker, right-aligned so that the answer
     * always sits at {@link #answerPosition()}: pads, [QUESTION], the question's words, [ANSWER].
     * Questions longer than the segment keep their last words.
     */
    public int[] questionChunk(String question) {
        int length = answerPosition() - config.questionStart();
        int[] chunk = new int[length];
        Arrays.fill(chunk, pad);
        int[] words = tokenizer.encode(question);
        int room = length - 2;
        int count = Math.min(words.length, room);
        chunk[length - 1] = tokenizer.id(Special.ANSWER);
        System.arraycopy(words, words.length - count, chunk, length - 1 - count, count);
        chunk[length - 2 - count] = tokenizer.id(Special.QUESTION);
        return chunk;
    }

    private boolean questionTruncated(String question) {
        return tokenizer.encode(question).length > answerPosition() - config.questionStart() - 2;
    }

    /** Window position of the answer word (the answer marker sits just before it, EOS just after). */
    public int answerPosition() {
        return config.windowLength() - 2;
    }
}
