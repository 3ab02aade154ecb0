package casastream.model.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.decode.FrameText;
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
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Judges a model the way it runs: streams of camera-world frames decoded greedily, frame after
 * frame, each stream carrying only its memory ring, stored as bytes between frames as the job does. Every requested ablation runs on the same
 * frames in the same batch (one row per stream and ablation), so they differ only in what the
 * memory shows.
 */
public final class StreamingEvaluator {

    private final CasaModel model;
    private final WorldConfig world;
    private final int streamsPerBatch;
    private final GreedyDecoder decoder;

    public StreamingEvaluator(CasaModel model, WorldConfig world, int streamsPerBatch) {
        if (world.width() != model.config().imageSize() || world.height() != model.config().imageSize()) {
            throw new IllegalArgumentException("the world renders " + world.width() + "x" + world.height()
                    + " frames but the model reads " + model.config().imageSize() + "x" + model.config().imageSize());
        }
        this.model = model;
        this.world = world;
        this.streamsPerBatch = streamsPerBatch;
        this.decoder = new GreedyDecoder(model);
    }

    /**
     * Scores the given streams over {@code frames} frames each.
     *
     * @param framesDone called with the number of stream-frames finished so far (for progress bars)
     */
    public Map<MemoryAblation, Scores> evaluate(List<Long> seeds, int frames, List<MemoryAblation> ablations,
                                                LongConsumer framesDone) {
        try (NoGrad ignored = NoGrad.enter()) {
            return evaluateWithoutGrad(seeds, frames, ablations, framesDone);
        }
    }

    private Map<MemoryAblation, Scores> evaluateWithoutGrad(List<Long> seeds, int frames,
                                                          List<MemoryAblation> ablations, LongConsumer framesDone) {
        Map<MemoryAblation, StreamingScore> scores = new EnumMap<>(MemoryAblation.class);
        ablations.forEach(a -> scores.put(a, new StreamingScore()));
        long done = 0;
        for (int from = 0; from < seeds.size(); from += streamsPerBatch) {
            List<Long> chunk = seeds.subList(from, Math.min(seeds.size(), from + streamsPerBatch));
            runStreams(chunk, frames, ablations, scores);
            done += (long) chunk.size() * frames;
            framesDone.accept(done);
        }
        Map<MemoryAblation, Scores> out = new EnumMap<>(MemoryAblation.class);
        scores.forEach((a, s) -> out.put(a, s.result()));
        return out;
    }

    private void runStreams(List<Long> seeds, int frames, List<MemoryAblation> ablations,
                            Map<MemoryAblation, StreamingScore> scores) {
        CasaConfig config = model.config();
        List<CameraWorld> worlds = seeds.stream().map(seed -> new CameraWorld(world, seed)).toList();
        int streams = worlds.size();
        int rows = streams * ablations.size();
        try (NDManager streamManager = model.manager().newSubManager()) {
            NDArray keep = keepMask(streamManager, config, ablations, streams);
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
                    List<List<String>> questions = new ArrayList<>(rows);
                    for (int r = 0; r < rows; r++) {
                        questions.add(truth.get(r % streams).questions().stream().map(YesNo::question).toList());
                    }
                    GreedyDecoder.Result result = decoder.decode(frameManager, tiled, memory.masked(keep), questions);
                    for (int r = 0; r < rows; r++) {
                        FrameText text = result.texts().get(r);
                        scores.get(ablations.get(r / streams)).add(truth.get(r % streams), text.caption(), text.events(),
                                text.answers());
                    }
                    // through the bytes the job would keep, so the evaluation sees the stored precision too
                    List<StreamMemory> stored = result.memory().toStreams().stream()
                            .map(m -> StreamMemory.fromBytes(config, m.toBytes())).toList();
                    memory = MemoryBatch.of(nextCarry, config, stored);
                }
                carry.close();
                carry = nextCarry;
            }
            carry.close();
        }
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
