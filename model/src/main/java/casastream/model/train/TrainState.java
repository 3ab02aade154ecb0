package casastream.model.train;

import casastream.model.checkpoint.Checkpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's progress, saved as {@code training.json} beside every checkpoint (the shipped model's
 * too), so that training continues its schedule and its seed stream from any checkpoint.
 *
 * @param step            optimizer steps taken in total
 * @param seedCursor      training seeds used so far
 * @param trainingSeconds wall-clock seconds spent training in total
 * @param bestScore       best validation score (mean of caption, event F1, motion F1 and yes/no), -1 before the first
 * @param bestStep        step of that score
 */
public record TrainState(long step, long seedCursor, double trainingSeconds, double bestScore, long bestStep) {

    public static final String FILE = "training.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static TrainState start() {
        return new TrainState(0, 0, 0, -1, -1);
    }

    TrainState advanced(long steps, long cursor, double seconds) {
        return new TrainState(step + steps, cursor, trainingSeconds + seconds, bestScore, bestStep);
    }

    TrainState withBest(double score) {
        return new TrainState(step, seedCursor, trainingSeconds, score, step);
    }

    void write(Path dir) throws IOException {
        Checkpoint.writeAtomically(dir.resolve(FILE), out -> JSON.writeValue(out, this));
    }

    /** The state saved beside a checkpoint, or a fresh one when there is none. */
    static TrainState readOrStart(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return start();
        }
        return JSON.readValue(file.toFile(), TrainState.class);
    }

    static TrainState readShippedOrStart() throws IOException {
        try (InputStream in = TrainState.class.getResourceAsStream(Checkpoint.SHIPPED_RESOURCE + FILE)) {
            return in == null ? start() : JSON.readValue(in, TrainState.class);
        }
    }
}
