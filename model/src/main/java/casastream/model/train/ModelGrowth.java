package casastream.model.train;

import ai.djl.ndarray.NDArray;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.ModelFormatException;
import casastream.model.text.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries a trained model's weights into a grown design, so that training continues from what it
 * learnt: a vocabulary with words appended (the old ids keep their rows of the embedding, which is
 * also the tied output head; the gist slots' rows move up behind the new words; the new words' rows
 * keep their fresh initialisation), a longer events segment (positions are rotary, no weight depends
 * on them) and gist recurrence (its projection starts at zero, so the grown model first computes
 * exactly what the old one did). Every other tensor must have the same name and shape in both.
 */
final class ModelGrowth {

    private static final String EMBEDDING = "decoder.embedding.weight";

    private ModelGrowth() {
    }

    /**
     * A new model of config {@code to} holding {@code from}'s weights where they carry over.
     *
     * @param report receives one line saying what was copied and what starts fresh
     */
    static CasaModel grow(CasaModel from, CasaConfig to, long seed, java.util.function.Consumer<String> report) {
        CasaConfig old = from.config();
        requireSame(old, to);
        CasaModel grown = CasaModel.create(to, seed);
        try {
            requirePrefix(from.tokenizer(), grown.tokenizer());
            Map<String, NDArray> source = from.parameters().all();
            List<String> fresh = new ArrayList<>();
            int copied = 0;
            for (Map.Entry<String, NDArray> entry : grown.parameters().all().entrySet()) {
                NDArray target = entry.getValue();
                NDArray value = source.get(entry.getKey());
                if (entry.getKey().equals(EMBEDDING)) {
                    target.set(grownEmbedding(value.toFloatArray(), target.toFloatArray(), old, to));
                    copied++;
                } else if (value == null) {
                    fresh.add(entry.getKey());
                } else if (!value.getShape().equals(target.getShape())) {
                    throw new ModelFormatException("tensor " + entry.getKey() + " has shape " + value.getShape()
                            + " in the model grown from but " + target.getShape() + " in the grown design");
                } else {
                    target.set(value.toFloatArray());
                    copied++;
                }
            }
            for (String name : source.keySet()) {
                if (!grown.parameters().all().containsKey(name)) {
                    throw new ModelFormatException("tensor " + name + " has no place in the grown design");
                }
            }
            report.accept(String.format("grew the model: vocabulary %d -> %d words (%s -> %s), events segment %d -> %d "
                            + "tokens, gist recurrence %s -> %s; %d tensors copied (embedding rows of the %d old words and "
                            + "the %d gist slots), fresh: %s and the embedding rows of the %d new words",
                    old.vocabSize(), to.vocabSize(), old.tokenizer(), to.tokenizer(), old.eventTokens(), to.eventTokens(),
                    old.gistRecurrence(), to.gistRecurrence(), copied, old.vocabSize(), old.gistTokens(),
                    fresh.isEmpty() ? "nothing" : String.join(", ", fresh), to.vocabSize() - old.vocabSize()));
            return grown;
        } catch (RuntimeException e) {
            grown.close();
            throw e;
        }
    }

    /** (V+k, D) to (V'+k, D): old word rows first, fresh rows for the new words, then the gist slots' rows. */
    private static float[] grownEmbedding(float[] old, float[] fresh, CasaConfig from, CasaConfig to) {
        int d = to.width();
        int oldWords = from.vocabSize();
        int newWords = to.vocabSize();
        float[] out = fresh.clone();
        System.arraycopy(old, 0, out, 0, oldWords * d);
        System.arraycopy(old, oldWords * d, out, newWords * d, from.gistTokens() * d);
        return out;
    }

    private static void requireSame(CasaConfig from, CasaConfig to) {
        boolean same = from.imageSize() == to.imageSize() && from.patchSize() == to.patchSize()
                && from.stemChannels() == to.stemChannels() && from.width() == to.width() && from.heads() == to.heads()
                && from.decoderLayers() == to.decoderLayers() && from.visionLayers() == to.visionLayers()
                && from.ffnMultiplier() == to.ffnMultiplier() && from.fusionLayout() == to.fusionLayout()
                && from.fusionEvery() == to.fusionEvery() && from.sharedFusionProjections() == to.sharedFusionProjections()
                && from.fusionContext() == to.fusionContext() && from.imageTokenFfn() == to.imageTokenFfn()
                && from.gistTokens() == to.gistTokens() && from.gistHistory() == to.gistHistory()
                && from.textTail() == to.textTail() && from.questionTokens() == to.questionTokens()
                && from.eventTokens() <= to.eventTokens() && from.vocabSize() <= to.vocabSize()
                && (!from.gistRecurrence() || to.gistRecurrence());
        if (!same) {
            throw new ModelFormatException("cannot grow " + from + " into " + to + ": only the vocabulary (appended words), "
                    + "the events segment (longer) and gist recurrence (on) may change");
        }
    }

    private static void requirePrefix(Tokenizer from, Tokenizer to) {
        for (int id = 0; id < from.vocabSize(); id++) {
            String before = from.decode(new int[] {id});
            String after = to.decode(new int[] {id});
            if (!before.equals(after)) {
                throw new ModelFormatException("cannot grow the vocabulary of " + from.name() + " into " + to.name()
                        + ": id " + id + " is '" + before + "' in the first and '" + after + "' in the second; only "
                        + "words appended after the old ones keep a model's ids");
            }
        }
    }
}
