package casastream.model.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word-level tokenizer for the closed vocabulary of the camera world's texts: the specials first
 * (in {@link Special} order, so PAD is 0), then {@link WorldText#words()}; the history vocabulary
 * ({@link #history()}) appends {@link WorldText#historyWords()}, so every id of the first keeps its
 * meaning in the second. Text is lower-cased and
 * split at whitespace; the punctuation marks "," ";" "?" are tokens of their own even when glued to
 * a word. Any other word becomes {@link Special#UNKNOWN}. For every valid id array {@code x},
 * {@code encode(decode(x))} equals {@code x}, and every canonical world text survives
 * {@code decode(encode(text))} unchanged.
 */
public final class WorldTokenizer implements Tokenizer {

    private static final String PUNCTUATION = ",;?";
    private static final WorldTokenizer INSTANCE = new WorldTokenizer();
    private static final WorldTokenizer HISTORY = new WorldTokenizer(historyVocabulary());

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final String name;

    /** The frame-to-frame world's vocabulary, {@link WorldText#words()}. */
    public WorldTokenizer() {
        this(WorldText.words());
    }

    private WorldTokenizer(List<String> words) {
        List<String> all = new ArrayList<>();
        for (Special special : Special.values()) {
            all.add(special.text());
        }
        all.addAll(words);
        if (new java.util.HashSet<>(all).size() != all.size()) {
            throw new IllegalArgumentException("a vocabulary lists a word twice: " + all);
        }
        this.tokens = List.copyOf(all);
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
        // the hash of the token list changes whenever a word is added, removed or moved
        this.name = "world-words-" + tokens.size() + "-" + Integer.toHexString(String.join(" ", tokens).hashCode());
    }

    private static List<String> historyVocabulary() {
        List<String> words = new ArrayList<>(WorldText.words());
        words.addAll(WorldText.historyWords());
        return words;
    }

    /** The shared instance of the frame-to-frame world's vocabulary; the tokenizer is immutable. */
    public static WorldTokenizer instance() {
        return INSTANCE;
    }

    /** The history world's vocabulary: {@link #instance()}'s ids, then the history words. */
    public static WorldTokenizer history() {
        return HISTORY;
    }

    /**
     * The world tokenizer of that name (as a checkpoint's config records it).
     *
     * @throws IllegalArgumentException when no world tokenizer has that name
     */
    public static WorldTokenizer named(String name) {
        for (WorldTokenizer tokenizer : List.of(INSTANCE, HISTORY)) {
            if (tokenizer.name().equals(name)) {
                return tokenizer;
            }
        }
        throw new IllegalArgumentException("no world tokenizer is named '" + name + "'; this build knows "
                + INSTANCE.name() + " and " + HISTORY.name());
    }

    /** Whether every word of {@code words} has an id of its own (none would become {@link Special#UNKNOWN}). */
    public boolean knowsAll(List<String> words) {
        return ids.keySet().containsAll(words);
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    @Override
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot encode null text; pass \"\" for no tokens");
        }
        List<Integer> out = new ArrayList<>();
        for (String chunk : text.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            int start = 0;
            for (int i = 0; i < chunk.length(); i++) {
                if (PUNCTUATION.indexOf(chunk.charAt(i)) >= 0) {
                    addWord(chunk.substring(start, i), out);
                    addWord(chunk.substring(i, i + 1), out);
                    start = i + 1;
                }
            }
            addWord(chunk.substring(start), out);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void addWord(String word, List<Integer> out) {
        if (!word.isEmpty()) {
            out.add(ids.getOrDefault(word, id(Special.UNKNOWN)));
        }
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            String token = token(id);
            if (text.length() > 0 && !token.equals(",")) {
                text.append(' ');
            }
            text.append(token);
        }
        return text.toString();
    }

    /** The text of one id, e.g. "circle" or "<eos>". */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside 0.." + (tokens.size() - 1)
                    + " of tokenizer " + name + "; was the model trained with another vocabulary?");
        }
        return tokens.get(id);
    }

    @Override
    public int id(Special special) {
        return special.ordinal();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
