package casastream.model.eval.metrics;

import casastream.model.text.WorldText;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates the evaluator's counts over streams and frames: one {@link #add} per frame with what
 * the model said about it, then {@link #result()}. Predicted texts are normalised (case,
 * whitespace) before they are compared with the canonical ones; nothing else is forgiven.
 * Not thread-safe: give each thread its own and {@link #merge} them.
 */
public final class StreamingScore {

    private final boolean history;
    private long frames;
    private long captionHits;
    private final Counts events = new Counts();
    private final Counts motion = new Counts();
    private final Counts historyEvents = new Counts();
    private long questions;
    private long correctAnswers;
    private long historyQuestions;
    private long historyCorrect;

    /** Scores for a world without history events. */
    public StreamingScore() {
        this(false);
    }

    /**
     * @param history whether the world has history events and questions: then the history figures
     *                (history events and history questions only) are reported too
     */
    public StreamingScore(boolean history) {
        this.history = history;
    }

    /**
     * Scores one frame.
     *
     * @param truth               the frame with its ground truth
     * @param predictedCaption    the model's caption (null counts as wrong)
     * @param predictedEventsText the model's events text, e.g. "the red circle left ; a blue square entered" or "none" (null counts as none)
     * @param predictedAnswers    the model's answers by question text; may cover only some of the frame's questions,
     *                            the others count as wrong
     */
    public void add(WorldFrame truth, String predictedCaption, String predictedEventsText, Map<String, Boolean> predictedAnswers) {
        if (truth == null) {
            throw new IllegalArgumentException("cannot score a prediction without its ground-truth frame");
        }
        frames++;
        if (truth.caption().equals(WorldText.normalise(predictedCaption))) {
            captionHits++;
        }
        List<String> predicted = WorldText.parseEvents(predictedEventsText);
        events.add(truth.events(), predicted);
        motion.add(truth.events().stream().filter(WorldText::isMotionEvent).toList(),
                predicted.stream().filter(WorldText::isMotionEvent).toList());
        historyEvents.add(truth.events().stream().filter(WorldText::isHistoryEvent).toList(),
                predicted.stream().filter(WorldText::isHistoryEvent).toList());
        Map<String, Boolean> answers = normalisedKeys(predictedAnswers);
        for (YesNo question : truth.questions()) {
            questions++;
            Boolean answer = answers.get(question.question());
            boolean right = answer != null && answer == question.answer();
            if (right) {
                correctAnswers++;
            }
            if (WorldText.isHistoryQuestion(question.question())) {
                historyQuestions++;
                historyCorrect += right ? 1 : 0;
            }
        }
    }

    /** Adds another score's counts to this one (e.g. from another thread's streams). */
    public void merge(StreamingScore other) {
        frames += other.frames;
        captionHits += other.captionHits;
        events.merge(other.events);
        motion.merge(other.motion);
        historyEvents.merge(other.historyEvents);
        questions += other.questions;
        correctAnswers += other.correctAnswers;
        historyQuestions += other.historyQuestions;
        historyCorrect += other.historyCorrect;
    }

    /**
     * The figures so far. Conventions for empty denominators: with nothing predicted and nothing
     * to find, precision, recall and F1 are 1; otherwise an empty denominator gives 0 (precision
     * when nothing was predicted, recall when there was nothing to find), and F1 is then 0 too;
     * with no frames or no questions, the shares are 0.
     */
    public Scores result() {
        return new Scores(share(captionHits, frames),
                events.precision(), events.recall(), events.f1(),
                motion.precision(), motion.recall(), motion.f1(),
                share(correctAnswers, questions), frames, history,
                historyEvents.precision(), historyEvents.recall(), historyEvents.f1(), share(historyCorrect, historyQuestions));
    }

    private static Map<String, Boolean> normalisedKeys(Map<String, Boolean> answers) {
        Map<String, Boolean> normalised = new HashMap<>();
        if (answers != null) {
            answers.forEach((question, answer) -> normalised.put(WorldText.normalise(question), answer));
        }
        return normalised;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** True positives, false positives and false negatives, summed over frames. */
    private static final class Counts {
        private long truePositives;
        private long falsePositives;
        private long falseNegatives;

        /** Both lists hold distinct events. */
        void add(List<String> truth, List<String> predicted) {
            long hits = predicted.stream().filter(truth::contains).count();
            truePositives += hits;
            falsePositives += predicted.size() - hits;
            falseNegatives += truth.size() - hits;
        }

        void merge(Counts other) {
            truePositives += other.truePositives;
            falsePositives += other.falsePositives;
            falseNegatives += other.falseNegatives;
        }

        double precision() {
            long predicted = truePositives + falsePositives;
            if (predicted == 0) {
                return falseNegatives == 0 ? 1 : 0;
            }
            return (double) truePositives / predicted;
        }

        double recall() {
            long actual = truePositives + falseNegatives;
            if (actual == 0) {
                return falsePositives == 0 ? 1 : 0;
            }
            return (double) truePositives / actual;
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }
}
