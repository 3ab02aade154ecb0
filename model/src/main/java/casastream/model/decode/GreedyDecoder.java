package casastream.model.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.TextIds;
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
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Batched greedy decoding of one frame for many streams, each with its own memory: one forward pass
 * per token for the batch. With {@link Decoding#DRAFT} a stream's last texts, which its memory
 * carries, are checked first as a draft, and streams that finished a segment leave the batch; with
 * {@link Decoding#PLAIN} they feed masked pads until the others finish too. Either way every token
 * keeps the position it had in training, and the texts are those of plain greedy decoding. Each
 * standing question forks from the state after the events (one batch row per stream and question);
 * answers are the more likely of "yes" and "no".
 */
public final class GreedyDecoder {

    /** A batch smaller than this keeps its finished rows: copying the state would cost more than it saves. */
    static final int MIN_COMPACTED_ROWS = 4;

    /**
     * Drafts are checked only in batches of at most this many streams (captions) and this many
     * (events): in larger ones, the chunk a draft is fed in (padded to the longest draft of the
     * batch) and the rows whose draft fails cost more than decoding token by token, where every
     * step's fixed cost is shared by many streams (bench batching measures both decoders).
     */
    static final int MAX_CAPTION_DRAFT_ROWS = 16;
    static final int MAX_EVENT_DRAFT_ROWS = 4;

    private final CasaModel model;
    private final Decoding decoding;
    private final CasaConfig config;
    private final WindowLayout layout;
    private final int pad;
    private final int eos;
    private final int yes;
    private final int no;

    public GreedyDecoder(CasaModel model) {
        this(model, Decoding.DRAFT);
    }

    public GreedyDecoder(CasaModel model, Decoding decoding) {
        this.model = model;
        this.decoding = decoding;
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
     * @param ids       per stream, the word ids of its caption and events (which the memory carries as the draft
     *                  for the stream's next frame)
     * @param tokenRows   decoding work done: over every pass of caption and events after their markers, rows x tokens fed
     * @param draftsTaken captions and events taken from a confirmed draft
     * @param draftTokensKept tokens of drafts not confirmed to their end that were kept: greedy decoding wrote them
     *                    too, and the stream went on from the first token where the two part
     */
    public record Result(List<FrameText> texts, List<TextIds> ids, MemoryBatch memory, long tokenRows, int draftsTaken,
                         long draftTokensKept) {
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
        List<TextIds> drafts = decoding == Decoding.DRAFT ? memory.texts() : null;
        WindowState state = decoder.beginFrame(imageTokens, imageValid, memory, false);
        int[] prefix = layout.prefix();
        int[][] rows = new int[batch][];
        Arrays.fill(rows, prefix);
        NDArray hidden = decoder.forward(state, ints(manager, rows), manager.ones(new Shape(batch, prefix.length)), 0);
        int[][] captionDrafts = drafts == null || batch > MAX_CAPTION_DRAFT_ROWS ? null
                : drafts.stream().map(d -> d == null ? null : d.caption()).toArray(int[][]::new);
        Segment captions = segment(manager, state, hidden, config.captionStart(), config.textTail(), true, captionDrafts);
        MemoryBatch next = state.endFrame();

        int[][] marker = new int[batch][];
        Arrays.fill(marker, new int[] {model.tokenizer().id(Special.EVENTS)});
        hidden = decoder.forward(state, ints(manager, marker), manager.ones(new Shape(batch, 1)), config.eventsStart());
        boolean anyQuestion = questions.stream().anyMatch(q -> !q.isEmpty());
        int[][] eventDrafts = drafts == null || batch > MAX_EVENT_DRAFT_ROWS ? null
                : drafts.stream().map(d -> d == null ? null : d.events()).toArray(int[][]::new);
        Segment events = segment(manager, state, hidden, config.eventsStart(), config.eventTokens(), anyQuestion, eventDrafts);

        List<Map<String, Boolean>> answers = answer(manager, state, questions);
        List<FrameText> texts = new ArrayList<>(batch);
        List<TextIds> ids = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            texts.add(new FrameText(model.tokenizer().decode(captions.words()[b]),
                    model.tokenizer().decode(events.words()[b]), answers.get(b)));
            ids.add(new TextIds(captions.words()[b], events.words()[b]));
        }
        return new Result(texts, ids, next.withTexts(ids), captions.tokenRows() + events.tokenRows(),
                captions.draftsTaken() + events.draftsTaken(), captions.draftTokensKept() + events.draftTokensKept());
    }

    /**
     * Decodes a segment whose marker was just fed; returns each stream's words (no EOS). The last
     * position of the segment is always EOS, so a text never overflows into the next segment.
     *
     * <p>Streams with a draft first feed it whole, EOS included, as one chunk: where the argmax after
     * every token of it is the next token of the draft (after the last, EOS), the draft is what greedy
     * decoding writes, and it is taken. The others (a draft whose first word the marker's argmax
     * already contradicts feeds nothing) are then decoded token by token from the marker, on a copy of
     * their rows as they were before the draft, which is merged back.
     *
     * @param keepState whether the state must afterwards hold every stream's segment (the caption's for the
     *                  memory, the events' when questions follow); without, only the words are needed
     * @param drafts    per stream, the words of its draft for this segment, or null; null for none at all
     */
    private Segment segment(NDManager manager, WindowState state, NDArray markerHidden, int start, int length,
                            boolean keepState, int[][] drafts) {
        int batch = state.batchSize();
        int[][] words = new int[batch][];
        int[] first = lastArgMax(markerHidden);
        int last = start + length - 1; // the segment's last position, always EOS
        boolean[] candidate = new boolean[batch];
        int longest = 0;
        if (drafts != null) {
            for (int b = 0; b < batch; b++) {
                int[] draft = drafts[b];
                if (draft == null || start + 1 + draft.length > last) {
                    continue; // no draft, or one that does not fit this segment (another model's)
                }
                int expected = draft.length == 0 ? eos : draft[0];
                candidate[b] = start + 1 == last || first[b] == expected;
                longest = candidate[b] ? Math.max(longest, draft.length + 1) : longest;
            }
        }
        if (longest == 0) {
            long tokenRows = greedy(manager, state, markerHidden, first, IntStream.range(0, batch).toArray(), start, length,
                    keepState, words, start + 1, null);
            return new Segment(words, tokenRows);
        }
        WindowState.Mark before = state.mark();
        int[][] chunk = new int[batch][longest];
        float[][] valid = new float[batch][longest];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(chunk[b], pad);
            if (candidate[b]) {
                System.arraycopy(drafts[b], 0, chunk[b], 0, drafts[b].length);
                chunk[b][drafts[b].length] = eos;
                Arrays.fill(valid[b], 0, drafts[b].length + 1, 1f);
            }
        }
        NDArray hidden = model.decoder().forward(state, ints(manager, chunk), manager.create(valid), start + 1);
        WindowState.Mark after = state.mark();
        long tokenRows = (long) batch * longest;
        int[][] argMax = argMax(hidden);
        // rows that decode on, by how many of their draft's first tokens greedy decoding writes too
        // (0: no draft, or one the marker's argmax already contradicts): those are kept, and the row
        // goes on from the first token where the draft and the argmax part
        Map<Integer, List<Integer>> byKept = new TreeMap<>();
        int taken = 0;
        long keptTokens = 0;
        for (int b = 0; b < batch; b++) {
            int kept = candidate[b] ? confirmedPrefix(drafts[b], argMax[b], start, last) : 0;
            if (candidate[b] && kept == drafts[b].length + 1) {
                words[b] = drafts[b];
                taken++;
            } else {
                byKept.computeIfAbsent(kept, k -> new ArrayList<>()).add(b);
                keptTokens += kept;
            }
        }
        for (Map.Entry<Integer, List<Integer>> group : byKept.entrySet()) {
            int kept = group.getKey();
            int[] streams = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            WindowState.Mark mark = after.within(before, longest, kept);
            WindowState part = state.select(manager, streams, mark);
            int[] partFirst = new int[streams.length];
            int[][] prefixes = new int[streams.length][];
            for (int r = 0; r < streams.length; r++) {
                int b = streams[r];
                partFirst[r] = kept == 0 ? first[b] : argMax[b][kept - 1];
                prefixes[r] = kept == 0 ? new int[0] : Arrays.copyOf(drafts[b], kept);
            }
            NDArray partHidden = kept == 0 ? markerHidden.get(manager.create(Arrays.stream(streams).asLongStream().toArray()))
                    : null;
            tokenRows += greedy(manager, part, partHidden, partFirst, streams, start, length, keepState, words,
                    start + 1 + kept, prefixes);
            if (keepState) {
                state.merge(manager, part, streams, mark);
            }
        }
        return new Segment(words, tokenRows, taken, keptTokens);
    }

    /**
     * How many of the draft's tokens greedy decoding writes, fed at positions start+1..: its first
     * (the caller checked it against the marker's argmax), then each one the argmax after the one
     * before confirms; {@code draft.length + 1} when the argmax after its last is EOS as well (or the
     * next position is the segment's last, where EOS is forced): the whole draft is the text.
     */
    private int confirmedPrefix(int[] draft, int[] argMax, int start, int last) {
        for (int j = 0; j < draft.length; j++) {
            int position = start + 2 + j; // the position the token after draft[j] goes to
            int expected = j + 1 < draft.length ? draft[j + 1] : eos;
            if (position != last && argMax[j] != expected) {
                return j + 1;
            }
        }
        return draft.length + 1;
    }

    /**
     * Greedy decoding, token by token, of the given streams (row r of {@code state} is stream
     * {@code streams[r]}), from the segment's marker, or from position {@code from} for rows that already
     * hold the first words of their text ({@code prefixes[r]}, the confirmed part of a draft; null for
     * none); writes each stream's words into {@code words} and returns the rows x tokens fed.
     *
     * <p>With {@link Decoding#DRAFT}, once at most half of the rows still decode (and at least
     * {@link #MIN_COMPACTED_ROWS} did), the rest go on as a smaller batch of their own, a copy of
     * their rows of the state; when {@code keepState}, the finished rows are then brought to the
     * same position with masked entries, as the pads of {@link Decoding#PLAIN} would have brought them.
     */
    private long greedy(NDManager manager, WindowState state, NDArray markerHidden, int[] first, int[] streams,
                        int start, int length, boolean keepState, int[][] words, int from, int[][] prefixes) {
        List<List<Integer>> written = new ArrayList<>();
        for (int r = 0; r < streams.length; r++) {
            List<Integer> row = new ArrayList<>();
            if (prefixes != null) {
                Arrays.stream(prefixes[r]).forEach(row::add);
            }
            written.add(row);
        }
        int[] owner = IntStream.range(0, streams.length).toArray(); // row of state -> index into streams
        Deque<Part> parts = new ArrayDeque<>();
        boolean[] done = new boolean[streams.length];
        NDArray hidden = markerHidden;
        int[] next = first;
        long tokenRows = 0;
        for (int position = from; position < start + length; position++) {
            if (next == null) {
                next = lastArgMax(hidden);
            }
            int rows = owner.length;
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
                    written.get(owner[r]).add(token);
                    active++;
                }
            }
            hidden = model.decoder().forward(state, ints(manager, feed), manager.create(valid, new Shape(rows, 1)), position);
            next = null;
            if (active == 0) {
                break;
            }
            if (decoding == Decoding.DRAFT && rows >= MIN_COMPACTED_ROWS && 2 * active <= rows) {
                int[] keep = new int[active];
                for (int r = 0, i = 0; r < rows; r++) {
                    if (!done[r]) {
                        keep[i++] = r;
                    }
                }
                WindowState.Mark mark = state.mark();
                WindowState part = state.select(manager, keep);
                parts.push(new Part(state, keep, mark));
                hidden = hidden.get(manager.create(Arrays.stream(keep).asLongStream().toArray()));
                int[] owners = owner;
                owner = Arrays.stream(keep).map(r -> owners[r]).toArray();
                done = new boolean[active];
                state = part;
            }
        }
        if (keepState) {
            while (!parts.isEmpty()) {
                Part part = parts.pop();
                part.parent().merge(manager, state, part.rows(), part.mark());
                state = part.parent();
            }
        }
        for (int r = 0; r < streams.length; r++) {
            words[streams[r]] = written.get(r).stream().mapToInt(Integer::intValue).toArray();
        }
        return tokenRows;
    }

    /** A segment's words for each stream (no EOS), the rows x tokens its passes fed, and how many were drafts. */
    private record Segment(int[][] words, long tokenRows, int draftsTaken, long draftTokensKept) {
        Segment(int[][] words, long tokenRows) {
            this(words, tokenRows, 0, 0);
        }
    }

    /** A state that a smaller batch was selected from, which of its rows that batch holds, and when. */
    private record Part(WindowState parent, int[] rows, WindowState.Mark mark) {
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

    /** Argmax of the logits at every position of the chunk, per row: (B,n). */
    private int[][] argMax(NDArray hidden) {
        long[] ids = model.decoder().logits(hidden).argMax(-1).toLongArray();
        int n = Math.toIntExact(hidden.getShape().get(1));
        int[][] out = new int[Math.toIntExact(hidden.getShape().get(0))][n];
        for (int i = 0; i < ids.length; i++) {
            out[i / n][i % n] = Math.toIntExact(ids[i]);
        }
        return out;
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
