package casastream.model.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.memory.MemoryBatch;
import casastream.model.nn.CasaDecoder;
import casastream.model.nn.WindowState;
import casastream.model.text.Special;
import casastream.model.text.Tokenizer;
import casastream.model.text.WorldText;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Batched greedy decoding of one frame for many streams, each with its own memory: one forward pass
 * per token for the batch. Streams that finished a segment leave the batch (or, with {@link Rows#KEEP},
 * feed masked pads until the others finish too); either way every token keeps the position it had in
 * training, and the texts are the same. Each standing question forks
 * from the state after the events (one batch row per stream and question); answers are the more
 * likely of "yes" and "no".
 */
public final class GreedyDecoder {

    /** What a batch does with the streams that finished a segment while others still decode it. */
    public enum Rows {
        /** They stay in the batch, fed masked pads, until the last stream of the batch finishes. */
        KEEP,
        /** They leave it: the streams still decoding go on as a smaller batch (the default). */
        DROP_FINISHED
    }

    /** A batch smaller than this keeps its finished rows: copying the state would cost more than it saves. */
    static final int MIN_COMPACTED_ROWS = 4;

    private final CasaModel model;
    private final Rows finishedRows;
    private final CasaConfig config;
    private final WindowLayout layout;
    private final int pad;
    private final int eos;
    private final int yes;
    private final int no;

    public GreedyDecoder(CasaModel model) {
        this(model, Rows.DROP_FINISHED);
    }

    public GreedyDecoder(CasaModel model, Rows rows) {
        this.model = model;
        this.finishedRows = rows;
        this.config = model.config();
        Tokenizer tokenizer = model.tokenizer();
        this.layout = new WindowLayout(config, tokenizer);
        this.pad = tokenizer.id(Special.PAD);
        this.eos = tokenizer.id(Special.EOS);
        this.yes = tokenizer.encode(WorldText.YES)[0];
        this.no = tokenizer.encode(WorldText.NO)[0];
    }

    /**
     * The texts of one frame for each stream, and the streams' memories after it.
     *
     * @param tokenRows greedy work done: over every one-token step of caption and events, the rows the batch held
     */
    public record Result(List<FrameText> texts, MemoryBatch memory, long tokenRows) {
    }

    /**
     * Decodes one frame for B streams.
     *
     * @param imageTokens (B,P,D) this frame's image tokens
     * @param memory      the streams' memories before the frame (already masked for an ablation, if any)
     * @param questions   per stream, the standing questions to answer
     */
    public Result decode(NDManager manager, NDArray imageTokens, MemoryBatch memory, List<List<String>> questions) {
        return decode(manager, imageTokens, null, memory, questions);
    }

    /**
     * Decodes one frame for B streams, some of whose image tokens the window must not read.
     *
     * @param imageValid (B,P) 1 for an image token the window may read, 0 for a hidden one; null for all
     */
    public Result decode(NDManager manager, NDArray imageTokens, NDArray imageValid, MemoryBatch memory,
                         List<List<String>> questions) {
        CasaDecoder decoder = model.decoder();
        int batch = memory.batchSize();
        WindowState state = decoder.beginFrame(imageTokens, imageValid, memory, false);
        int[] prefix = layout.prefix();
        int[][] rows = new int[batch][];
        Arrays.fill(rows, prefix);
        NDArray hidden = decoder.forward(state, ints(manager, rows), manager.ones(new Shape(batch, prefix.length)), 0);
        Segment captions = segment(manager, state, hidden, config.captionStart(), config.textTail(), true);
        MemoryBatch next = state.endFrame();

        int[][] marker = new int[batch][];
        Arrays.fill(marker, new int[] {model.tokenizer().id(Special.EVENTS)});
        hidden = decoder.forward(state, ints(manager, marker), manager.ones(new Shape(batch, 1)), config.eventsStart());
        boolean anyQuestion = questions.stream().anyMatch(q -> !q.isEmpty());
        Segment events = segment(manager, state, hidden, config.eventsStart(), config.eventTokens(), anyQuestion);

        List<Map<String, Boolean>> answers = answer(manager, state, questions);
        List<FrameText> texts = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            texts.add(new FrameText(model.tokenizer().decode(captions.words().get(b)),
                    model.tokenizer().decode(events.words().get(b)), answers.get(b)));
        }
        return new Result(texts, next, captions.tokenRows() + events.tokenRows());
    }

    /**
     * Greedy decoding of a segment whose marker was just fed; returns each stream's words (no EOS).
     * The last position of the segment is always EOS, so a text never overflows into the next segment.
     *
     * <p>With {@link Rows#DROP_FINISHED}, once at most half of the rows still decode (and at least
     * {@link #MIN_COMPACTED_ROWS} did), the rest go on as a smaller batch of their own, a copy of
     * their rows of the state; when {@code keepState}, the finished rows are then brought to the
     * same position with masked entries, as the pads of {@link Rows#KEEP} would have brought them.
     */
    private Segment segment(NDManager manager, WindowState full, NDArray markerHidden, int start, int length,
                            boolean keepState) {
        int batch = full.batchSize();
        List<List<Integer>> words = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            words.add(new ArrayList<>());
        }
        Deque<Part> parts = new ArrayDeque<>();
        WindowState state = full;
        int[] streams = IntStream.range(0, batch).toArray(); // the stream of each row of state
        boolean[] done = new boolean[batch];
        NDArray hidden = markerHidden;
        long tokenRows = 0;
        for (int position = start + 1; position < start + length; position++) {
            int[] next = lastArgMax(hidden);
            int rows = streams.length;
            tokenRows += rows;
            int[][] feed = new int[rows][1];
            float[] valid = new float[rows];
            int active = 0;
            for (int r = 0; r < rows; r++) {
                if (done[r]) {
                    feed[r][0] = pad;
                    continue;
                }
                int token = position == start + length - 1 ? eos : next[r];
                feed[r][0] = token;
                valid[r] = 1f;
                if (token == eos) {
                    done[r] = true;
                } else {
                    words.get(streams[r]).add(token);
                    active++;
                }
            }
            hidden = model.decoder().forward(state, ints(manager, feed), manager.create(valid, new Shape(rows, 1)), position);
            if (active == 0) {
                break;
            }
            if (finishedRows == Rows.DROP_FINISHED && rows >= MIN_COMPACTED_ROWS && 2 * active <= rows) {
                int[] keep = new int[active];
                for (int r = 0, i = 0; r < rows; r++) {
                    if (!done[r]) {
                        keep[i++] = r;
                    }
                }
                WindowState part = state.select(manager, keep);
                parts.push(new Part(state, keep));
                hidden = hidden.get(manager.create(Arrays.stream(keep).asLongStream().toArray()));
                int[] kept = new int[active];
                for (int i = 0; i < active; i++) {
                    kept[i] = streams[keep[i]];
                }
                streams = kept;
                done = new boolean[active];
                state = part;
            }
        }
        if (keepState) {
            while (!parts.isEmpty()) {
                Part part = parts.pop();
                part.parent().absorb(manager, state, part.rows());
                state = part.parent();
            }
        }
        List<int[]> out = new ArrayList<>(batch);
        words.forEach(w -> out.add(w.stream().mapToInt(Integer::intValue).toArray()));
        return new Segment(out, tokenRows);
    }

    /** A segment's words for each stream (no EOS), and the rows its one-token steps held in all. */
    private record Segment(List<int[]> words, long tokenRows) {
    }

    /** A state that a smaller batch was selected from, and which of its rows that batch holds. */
    private record Part(WindowState parent, int[] rows) {
    }

    private List<Map<String, Boolean>> answer(NDManager manager, WindowState state, List<List<String>> questions) {
        int batch = state.batchSize();
        List<Map<String, Boolean>> answers = new ArrayList<>(batch);
        List<Integer> rowStreams = new ArrayList<>();
        List<String> rowQuestions = new ArrayList<>();
        List<int[]> chunks = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            answers.add(new LinkedHashMap<>());
            for (String question : questions.get(b)) {
                rowStreams.add(b);
                rowQuestions.add(question);
                chunks.add(layout.questionChunk(question));
            }
        }
        if (chunks.isEmpty()) {
            return answers;
        }
        WindowState forked = state.select(manager, rowStreams.stream().mapToInt(Integer::intValue).toArray());
        int[][] rows = chunks.toArray(new int[0][]);
        float[][] valid = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            valid[r] = new float[rows[r].length];
            for (int i = 0; i < rows[r].length; i++) {
                valid[r][i] = rows[r][i] == pad ? 0f : 1f;
            }
        }
        NDArray hidden = model.decoder().forward(forked, ints(manager, rows), manager.create(valid), config.questionStart());
        long length = hidden.getShape().get(1);
        NDArray logits = model.decoder().logits(hidden.get(":, {}:", length - 1)); // (R,1,V)
        float[] yesLogits = logits.get(":, 0, {}", yes).toFloatArray();
        float[] noLogits = logits.get(":, 0, {}", no).toFloatArray();
        for (int r = 0; r < rows.length; r++) {
            answers.get(rowStreams.get(r)).put(rowQuestions.get(r), yesLogits[r] > noLogits[r]);
        }
        return answers;
    }

    /** Argmax of the logits at the chunk's last position, per row. */
    private int[] lastArgMax(NDArray hidden) {
        long length = hidden.getShape().get(1);
        NDArray logits = model.decoder().logits(hidden.get(":, {}:", length - 1)); // (B,1,V)
        long[] ids = logits.argMax(-1).toLongArray();
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    private static NDArray ints(NDManager manager, int[][] rows) {
        return manager.create(rows);
    }
}
