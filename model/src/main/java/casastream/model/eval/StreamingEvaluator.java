package casastream.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.decode.FrameText;
import casastream.model.decode.Decoding;
import casastream.model.decode.GreedyDecoder;
import casastream.model.eval.metrics.Scores;
import casastream.model.eval.metrics.StreamingScore;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.model.nn.NoGrad;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Judges a model the way it runs: streams of camera-world frames decoded greedily, frame after
 * frame, each stream carrying only its memory ring, stored as bytes between frames as the job does. Every requested ablation runs on the same
 * frames in the same batch (one row per stream and ablation), so they differ only in what the
 * memory (or, for {@link MemoryAblation#NO_IMAGE}, the frame) shows. Streams are generated frame by
 * frame and scored as they go, so their length costs time, not memory.
 */
public final class StreamingEvaluator {

    private final CasaModel model;
    private final WorldConfig world;
    private final int streamsPerBatch;
    private final GreedyDecoder decoder;
    private final Decoding decoding;

    public StreamingEvaluator(CasaModel model, WorldConfig world, int streamsPerBatch) {
        this(model, world, streamsPerBatch, Decoding.DRAFT);
    }

    /** An evaluator decoding as {@code decoding} says (the texts, hence the figures, are the same either way). */
    public StreamingEvaluator(CasaModel model, WorldConfig world, int streamsPerBatch, Decoding decoding) {
        if (world.width() != model.config().imageSize() || world.height() != model.config().imageSize()) {
            throw new IllegalArgumentException("the world renders " + world.width() + "x" + world.height()
                    + " frames but the model reads " + model.config().imageSize() + "x" + model.config().imageSize());
        }
        this.model = model;
        this.world = world;
        this.streamsPerBatch = streamsPerBatch;
        this.decoder = new GreedyDecoder(model, decoding);
        this.decoding = decoding;
    }

    /**
     * Scores the given streams over {@code frames} frames each.
     *
     * @param framesDone called with the number of stream-frames finished so far (for progress bars)
     */
    public Map<MemoryAblation, Scores> evaluate(List<Long> seeds, int frames, List<MemoryAblation> ablations,
                                                LongConsumer framesDone) {
        return evaluate(seeds, frames, 0, ablations, framesDone).scores();
    }

    /**
     * What an evaluation measured.
     *
     * @param scores      per ablation, over all frames
     * @param windows     per window of frames ("1-50", and the last window, e.g. "9951-10000"), per ablation;
     *                    empty when no window was asked for
     * @param memoryBytes the serialized memory's size after frame 1, frame 100 and the last frame (the frames
     *                    the streams reached), by frame number; the same for every stream and ablation, or the
     *                    evaluation fails
     */
    public record Result(Map<MemoryAblation, Scores> scores, Map<String, Map<MemoryAblation, Scores>> windows,
                         Map<Integer, Integer> memoryBytes, Decoding decoding) {
    }

    /**
     * Scores the given streams over {@code frames} frames each, also per window of {@code window} frames:
     * the first and the last window of every stream (0: no windows). Frames are generated and decoded one
     * at a time for each batch of streams, so a stream of 10,000 frames needs no more memory than one of 10.
     *
     * @param framesDone called after every frame with the number of stream-frames finished so far
     */
    public Result evaluate(List<Long> seeds, int frames, int window, List<MemoryAblation> ablations,
                           LongConsumer framesDone) {
        if (frames < 1 || window < 0) {
            throw new IllegalArgumentException("need frames >= 1 and window >= 0, got " + frames + " and " + window);
        }
        try (NoGrad ignored = NoGrad.enter()) {
            return evaluateWithoutGrad(seeds, frames, window, ablations, framesDone);
        }
    }

    /** The windows of a stream of {@code frames} frames: the first and the last {@code window} frames, by label. */
    static Map<String, int[]> windows(int frames, int window) {
        Map<String, int[]> out = new LinkedHashMap<>();
        if (window <= 0) {
            return out;
        }
        int first = Math.min(window, frames);
        out.put(label(0, first), new int[] {0, first});
        if (frames > window) {
            out.put(label(frames - window, frames), new int[] {frames - window, frames});
        }
        return out;
    }

    private static String label(int from, int to) {
        return (from + 1) + "-" + to;
    }

    /** Frames (1-based) after which the memory's serialized size is checked. */
    private static List<Integer> sizeChecks(int frames) {
        List<Integer> checks = new ArrayList<>(List.of(1));
        if (frames >= 100) {
            checks.add(100);
        }
        if (!checks.contains(frames)) {
            checks.add(frames);
        }
        return checks;
    }

    private Result evaluateWithoutGrad(List<Long> seeds, int frames, int window, List<MemoryAblation> ablations,
                                       LongConsumer framesDone) {
        boolean history = world.hasHistory();
        Map<MemoryAblation, StreamingScore> scores = new EnumMap<>(MemoryAblation.class);
        ablations.forEach(a -> scores.put(a, new StreamingScore(history)));
        Map<String, int[]> windows = windows(frames, window);
        Map<String, Map<MemoryAblation, StreamingScore>> windowScores = new LinkedHashMap<>();
        windows.keySet().forEach(label -> {
            Map<MemoryAblation, StreamingScore> perAblation = new EnumMap<>(MemoryAblation.class);
            ablations.forEach(a -> perAblation.put(a, new StreamingScore(history)));
            windowScores.put(label, perAblation);
        });
        Map<Integer, Integer> memoryBytes = new TreeMap<>();
        long done = 0;
        for (int from = 0; from < seeds.size(); from += streamsPerBatch) {
            List<Long> chunk = seeds.subList(from, Math.min(seeds.size(), from + streamsPerBatch));
            long before = done;
            runStreams(chunk, frames, ablations, scores, windows, windowScores, memoryBytes,
                    f -> framesDone.accept(before + (long) chunk.size() * f));
            done += (long) chunk.size() * frames;
        }
        Map<MemoryAblation, Scores> out = new EnumMap<>(MemoryAblation.class);
        scores.forEach((a, s) -> out.put(a, s.result()));
        Map<String, Map<MemoryAblation, Scores>> windowsOut = new LinkedHashMap<>();
        windowScores.forEach((label, perAblation) -> {
            Map<MemoryAblation, Scores> results = new EnumMap<>(MemoryAblation.class);
            perAblation.forEach((a, s) -> results.put(a, s.result()));
            windowsOut.put(label, results);
        });
        return new Result(out, windowsOut, memoryBytes, decoding);
    }

    private void runStreams(List<Long> seeds, int frames, List<MemoryAblation> ablations,
                            Map<MemoryAblation, StreamingScore> scores, Map<String, int[]> windows,
                            Map<String, Map<MemoryAblation, StreamingScore>> windowScores,
                            Map<Integer, Integer> memoryBytes, java.util.function.IntConsumer framesDone) {
        CasaConfig config = model.config();
        List<CameraWorld> worlds = seeds.stream().map(seed -> new CameraWorld(world, seed)).toList();
        int streams = worlds.size();
        int rows = streams * ablations.size();
        List<Integer> sizeChecks = sizeChecks(frames);
        boolean anyBlind = ablations.stream().anyMatch(MemoryAblation::hidesImage);
        try (NDManager streamManager = model.manager().newSubManager()) {
            NDArray keep = keepMask(streamManager, config, ablations, streams);
            NDArray keepState = keepStateMask(streamManager, ablations, streams);
            float[] keepImage = anyBlind ? keepImageMask(ablations, streams) : null; // per row: 0 hides its image
            NDManager carry = streamManager.newSubManager();
            MemoryBatch memory = MemoryBatch.empty(carry, config, rows);
            for (int f = 0; f < frames; f++) {
                List<WorldFrame> truth = new ArrayList<>(streams);
                worlds.forEach(w -> truth.add(w.next()));
                NDManager nextCarry = streamManager.newSubManager();
                try (NDManager frameManager = streamManager.newSubManager()) {
                    NDArray images = model.vision().forward(model.vision().pixels(frameManager,
                            truth.stream().map(WorldFrame::rgb).toList())); // (S,P,D)
                    NDArray tiled = images.tile(new long[] {ablations.size(), 1, 1}); // (A*S,P,D), ablation-major
                    NDArray imageValid = null;
                    if (anyBlind) {
                        // made per frame on the frame's manager: anything derived from a stream-long array would be
                        // attached to it, and the window's buffers grown from it would pile up there frame after frame
                        NDArray keepRows = frameManager.create(keepImage, new Shape(rows, 1, 1));
                        tiled = tiled.mul(keepRows); // hidden image tokens are zeros as well as masked
                        imageValid = keepRows.reshape(rows, 1).repeat(1, config.imageTokens()); // (A*S,P)
                    }
                    List<List<String>> questions = new ArrayList<>(rows);
                    for (int r = 0; r < rows; r++) {
                        questions.add(truth.get(r % streams).questions().stream().map(YesNo::question).toList());
                    }
                    MemoryBatch shown = config.gistRecurrence() ? memory.masked(keep, keepState) : memory.masked(keep);
                    GreedyDecoder.Result result = decoder.decode(frameManager, tiled, imageValid, shown, questions);
                    for (int r = 0; r < rows; r++) {
                        FrameText text = result.texts().get(r);
                        MemoryAblation ablation = ablations.get(r / streams);
                        WorldFrame frame = truth.get(r % streams);
                        scores.get(ablation).add(frame, text.caption(), text.events(), text.answers());
                        for (Map.Entry<String, int[]> w : windows.entrySet()) {
                            if (f >= w.getValue()[0] && f < w.getValue()[1]) {
                                windowScores.get(w.getKey()).get(ablation).add(frame, text.caption(), text.events(),
                                        text.answers());
                            }
                        }
                    }
                    // through the bytes the job would keep, so the evaluation sees the stored precision too
                    List<byte[]> bytes = result.memory().toStreams().stream().map(StreamMemory::toBytes).toList();
                    if (sizeChecks.contains(f + 1)) {
                        checkSize(memoryBytes, f + 1, bytes);
                    }
                    List<StreamMemory> stored = bytes.stream().map(b -> StreamMemory.fromBytes(config, b)).toList();
                    memory = MemoryBatch.of(nextCarry, config, stored);
                }
                carry.close();
                carry = nextCarry;
                framesDone.accept(f + 1);
            }
            carry.close();
        }
    }

    private static void checkSize(Map<Integer, Integer> memoryBytes, int frame, List<byte[]> bytes) {
        for (byte[] b : bytes) {
            Integer seen = memoryBytes.putIfAbsent(frame, b.length);
            if (seen != null && seen != b.length) {
                throw new IllegalStateException("stream memories after frame " + frame + " have " + seen + " and "
                        + b.length + " bytes: the memory must have one fixed size");
            }
        }
        for (int size : memoryBytes.values()) {
            if (size != memoryBytes.get(frame)) {
                throw new IllegalStateException("the stream memory has " + memoryBytes + " bytes by frame: it must have one fixed size");
            }
        }
    }

    private static NDArray keepStateMask(NDManager manager, List<MemoryAblation> ablations, int streams) {
        float[] keep = new float[ablations.size() * streams];
        for (int r = 0; r < keep.length; r++) {
            keep[r] = ablations.get(r / streams).keepGistState();
        }
        return manager.create(keep, new Shape(keep.length, 1, 1));
    }

    private static float[] keepImageMask(List<MemoryAblation> ablations, int streams) {
        float[] keep = new float[ablations.size() * streams];
        for (int r = 0; r < keep.length; r++) {
            keep[r] = ablations.get(r / streams).hidesImage() ? 0f : 1f;
        }
        return keep;
    }

    private static NDArray keepMask(NDManager manager, CasaConfig config, List<MemoryAblation> ablations, int streams) {
        int entries = config.memoryEntries();
        float[] keep = new float[ablations.size() * streams * entries];
        for (int a = 0; a < ablations.size(); a++) {
            float[] mask = ablations.get(a).keepMask(config);
            for (int s = 0; s < streams; s++) {
                System.arraycopy(mask, 0, keep, (a * streams + s) * entries, entries);
            }
        }
        return manager.create(keep, new Shape((long) ablations.size() * streams, entries));
    }
}
