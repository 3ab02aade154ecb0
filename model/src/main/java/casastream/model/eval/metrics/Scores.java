package casastream.model.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluator's figures over a set of streams. Precision and recall are micro-averaged: true and
 * false positives are summed over all frames before dividing.
 *
 * @param captionExactMatch share of frames whose predicted caption equals the canonical caption
 * @param eventPrecision    share of predicted events that happened
 * @param eventRecall       share of events that were predicted
 * @param eventF1           harmonic mean of the two
 * @param motionPrecision   as eventPrecision, movement events only
 * @param motionRecall      as eventRecall, movement events only
 * @param motionF1          harmonic mean of the two
 * @param yesnoAccuracy     share of the frames' questions answered correctly (an unanswered question counts as wrong)
 * @param frames            frames scored
 * @param history           whether the world had history events and questions: the history figures below
 *                          are reported only then
 * @param historyPrecision  as eventPrecision, history events ("stayed", "came back") only
 * @param historyRecall     as eventRecall, history events only
 * @param historyF1         harmonic mean of the two
 * @param historyYesnoAccuracy as yesnoAccuracy, history questions only ("been here long", "come back")
 */
public record Scores(double captionExactMatch, double eventPrecision, double eventRecall, double eventF1,
                     double motionPrecision, double motionRecall, double motionF1, double yesnoAccuracy, long frames,
                     boolean history, double historyPrecision, double historyRecall, double historyF1,
                     double historyYesnoAccuracy) {

    /** Figures of a world without history events. */
    public Scores(double captionExactMatch, double eventPrecision, double eventRecall, double eventF1,
                  double motionPrecision, double motionRecall, double motionF1, double yesnoAccuracy, long frames) {
        this(captionExactMatch, eventPrecision, eventRecall, eventF1, motionPrecision, motionRecall, motionF1, yesnoAccuracy,
                frames, false, 0, 0, 0, 0);
    }

    /**
     * The figures under their report names (caption_exact_match, event_f1, motion_f1, yesno_accuracy, ...,
     * and history_precision, history_recall, history_f1, history_yesno_accuracy in a history world), in a
     * fixed order.
     */
    public Map<String, Number> asMetrics() {
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("caption_exact_match", captionExactMatch);
        metrics.put("event_precision", eventPrecision);
        metrics.put("event_recall", eventRecall);
        metrics.put("event_f1", eventF1);
        metrics.put("motion_precision", motionPrecision);
        metrics.put("motion_recall", motionRecall);
        metrics.put("motion_f1", motionF1);
        metrics.put("yesno_accuracy", yesnoAccuracy);
        if (history) {
            metrics.put("history_precision", historyPrecision);
            metrics.put("history_recall", historyRecall);
            metrics.put("history_f1", historyF1);
            metrics.put("history_yesno_accuracy", historyYesnoAccuracy);
        }
        metrics.put("frames", frames);
        return metrics;
    }

    /** One line for logs, e.g. "caption_exact_match=0.440 event_f1=0.430 ...". */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Number> metric : asMetrics().entrySet()) {
            if (text.length() > 0) {
                text.append(' ');
            }
            Number value = metric.getValue();
            text.append(metric.getKey()).append('=')
                    .append(value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : value);
        }
        return text.toString();
    }
}
