package casastream.model.eval;

import casastream.model.eval.metrics.Scores;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's figures as a table for people and JSON for tools. The JSON holds the full-memory
 * figures at the top level and the ablations under their names ({@code no_memory}, {@code no_gist}).
 *
 * @param model   which model was evaluated ("shipped" or a directory)
 * @param seeds   the first and last seed, e.g. "850000-850199"
 * @param streams streams evaluated
 * @param frames  frames per stream
 * @param seconds wall-clock time of the evaluation
 * @param scores  figures per ablation
 */
public record EvaluationReport(String model, String seeds, int streams, int frames, double seconds,
                               Map<MemoryAblation, Scores> scores) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLUMNS = {"caption_exact_match", "event_f1", "motion_f1", "yesno_accuracy"};

    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-10s", "memory"));
        for (String column : COLUMNS) {
            out.append(String.format(Locale.ROOT, " %20s", column));
        }
        out.append('\n');
        scores.forEach((ablation, s) -> {
            out.append(String.format(Locale.ROOT, "%-10s", ablation.key()));
            Map<String, Number> metrics = s.asMetrics();
            for (String column : COLUMNS) {
                out.append(String.format(Locale.ROOT, " %20.3f", metrics.get(column).doubleValue()));
            }
            out.append('\n');
        });
        return out.append(String.format(Locale.ROOT, "%d streams x %d frames (seeds %s) in %.0f s", streams, frames, seeds,
                seconds)).toString();
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model).put("seeds", seeds).put("streams", streams).put("frames_per_stream", frames)
                .put("seconds", seconds);
        Scores full = scores.get(MemoryAblation.FULL);
        if (full != null) {
            put(root, full);
        }
        scores.forEach((ablation, s) -> {
            if (ablation != MemoryAblation.FULL) {
                put(root.putObject(ablation.key()), s);
            }
        });
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("evaluation figures could not be written as JSON", e);
        }
    }

    private static void put(ObjectNode node, Scores scores) {
        scores.asMetrics().forEach((key, value) -> {
            if (value instanceof Long count) {
                node.put(key, count);
            } else {
                node.put(key, value.doubleValue());
            }
        });
    }
}
