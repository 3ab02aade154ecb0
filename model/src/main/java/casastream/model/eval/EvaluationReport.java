package casastream.model.eval;

import casastream.model.decode.Decoding;
import casastream.model.eval.metrics.Scores;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's figures as a table for people and JSON for tools. The JSON holds the full-memory
 * figures at the top level and the ablations under their names ({@code no_memory}, {@code no_gist},
 * {@code no_image}); {@code windows} holds the same per window of frames (e.g. {@code "1-50"} and
 * {@code "951-1000"}), and {@code memory_bytes} the serialized memory's size after frames 1, 100 and the last.
 *
 * @param model       which model was evaluated ("shipped" or a directory)
 * @param seeds       the first and last seed, e.g. "850000-850199"
 * @param streams     streams evaluated
 * @param frames      frames per stream
 * @param seconds     wall-clock time of the evaluation
 * @param scores      figures per ablation
 * @param windows     figures per window of frames, per ablation (empty: none asked for)
 * @param memoryBytes serialized memory size by frame number (empty: not measured)
 * @param decoder     the decoder that wrote the texts ({@code plain} or {@code draft}: the same texts)
 */
public record EvaluationReport(String model, String seeds, int streams, int frames, double seconds,
                               Map<MemoryAblation, Scores> scores, Map<String, Map<MemoryAblation, Scores>> windows,
                               Map<Integer, Integer> memoryBytes, String decoder) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A report without windows or memory sizes. */
    public EvaluationReport(String model, String seeds, int streams, int frames, double seconds,
                            Map<MemoryAblation, Scores> scores) {
        this(model, seeds, streams, frames, seconds, scores, Map.of(), Map.of(), Decoding.DRAFT.id());
    }

    /** The report of an evaluator's result. */
    public static EvaluationReport of(String model, String seeds, int streams, int frames, double seconds,
                                      StreamingEvaluator.Result result) {
        return new EvaluationReport(model, seeds, streams, frames, seconds, result.scores(), result.windows(),
                result.memoryBytes(), result.decoding().id());
    }

    private boolean history() {
        return scores.values().stream().anyMatch(Scores::history);
    }

    private List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("caption_exact_match", "event_f1", "motion_f1"));
        if (history()) {
            columns.add("history_f1");
        }
        columns.add("yesno_accuracy");
        if (history()) {
            columns.add("history_yesno_accuracy");
        }
        return columns;
    }

    public String table() {
        List<String> columns = columns();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-26s", "memory"));
        for (String column : columns) {
            out.append(String.format(Locale.ROOT, " %22s", column));
        }
        out.append('\n');
        rows(out, "", scores, columns);
        windows.forEach((label, perAblation) -> rows(out, "frames " + label + " ", perAblation, columns));
        if (!memoryBytes.isEmpty()) {
            out.append("memory bytes by frame: ").append(memoryBytes).append('\n');
        }
        return out.append(String.format(Locale.ROOT, "%d streams x %d frames (seeds %s) in %.0f s, %s decoder", streams,
                frames, seeds, seconds, decoder)).toString();
    }

    private static void rows(StringBuilder out, String prefix, Map<MemoryAblation, Scores> scores, List<String> columns) {
        scores.forEach((ablation, s) -> {
            out.append(String.format(Locale.ROOT, "%-26s", prefix + ablation.key()));
            Map<String, Number> metrics = s.asMetrics();
            for (String column : columns) {
                out.append(String.format(Locale.ROOT, " %22.3f", metrics.get(column).doubleValue()));
            }
            out.append('\n');
        });
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model).put("decoder", decoder).put("seeds", seeds).put("streams", streams)
                .put("frames_per_stream", frames).put("seconds", seconds);
        put(root, scores);
        if (!windows.isEmpty()) {
            ObjectNode node = root.putObject("windows");
            windows.forEach((label, perAblation) -> put(node.putObject(label), perAblation));
        }
        if (!memoryBytes.isEmpty()) {
            ObjectNode node = root.putObject("memory_bytes");
            memoryBytes.forEach((frame, bytes) -> node.put(Integer.toString(frame), bytes));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("evaluation figures could not be written as JSON", e);
        }
    }

    /** The full-memory figures into {@code node}, each ablation's under its key. */
    private static void put(ObjectNode node, Map<MemoryAblation, Scores> scores) {
        Scores full = scores.get(MemoryAblation.FULL);
        if (full != null) {
            put(node, full);
        }
        scores.forEach((ablation, s) -> {
            if (ablation != MemoryAblation.FULL) {
                put(node.putObject(ablation.key()), s);
            }
        });
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
