package casastream.model.text;

/**
 * Turns text into token ids and back. The world's word-level tokenizer implements it; a subword
 * tokenizer (for example DJL's HuggingFace tokenizers) can implement it for real-world text.
 */
public interface Tokenizer {

    /** Number of distinct ids: every id is in 0..vocabSize()-1. */
    int vocabSize();

    /** The ids of {@code text}, without any special token added; words outside the vocabulary map to {@link Special#UNKNOWN}. */
    int[] encode(String text);

    /**
     * The text of {@code ids}. Decoding does not stop at {@link Special#EOS} or any other token:
     * specials are written out (e.g. {@code "<eos>"}), and the caller cuts where it wants.
     *
     * @throws IllegalArgumentException when an id is outside 0..vocabSize()-1
     */
    String decode(int[] ids);

    /** The id of a special token. */
    int id(Special special);

    /**
     * Identifies the vocabulary: two tokenizers with the same name give the same ids. Checkpoints
     * store it so that a model is never run with ids it was not trained on.
     */
    String name();

    /**
     * Throws unless {@code storedName} (read from a checkpoint) names this tokenizer's vocabulary:
     * a model run with other ids than it was trained on would write nonsense without failing.
     */
    default void requireSameVocabulary(String storedName) {
        if (!name().equals(storedName)) {
            throw new IllegalStateException("the checkpoint was trained with tokenizer '" + storedName
                    + "' but this run uses '" + name() + "': load the checkpoint with its own tokenizer or retrain it");
        }
    }
}
