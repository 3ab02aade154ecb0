package casastream.model.decode;

import ai.djl.ndarray.NDManager;
import casastream.model.CasaModel;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.model.nn.NoGrad;
import casastream.model.world.CameraWorld;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams that finished a text leave the batch: the shipped model's texts and memories on the
 * camera world are those of the decoder that keeps every row to the end, frame after frame, while
 * the greedy steps do less work.
 */
class DroppingFinishedRowsTest {

    private static final int STREAMS = 24;
    private static final int FRAMES = 6;
    private static CasaModel model;

    @BeforeAll
    static void load() {
        model = CasaModel.loadShipped();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void droppingFinishedStreamsChangesNoTextNoMemoryAndSavesGreedyWork() {
        GreedyDecoder keep = new GreedyDecoder(model, GreedyDecoder.Rows.KEEP);
        GreedyDecoder drop = new GreedyDecoder(model, GreedyDecoder.Rows.DROP_FINISHED);
        List<CameraWorld> worlds = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            worlds.add(new CameraWorld(WorldConfig.defaults(), SeedRanges.TEST.seed(s)));
        }
        List<StreamMemory> keptMemory = fresh();
        List<StreamMemory> droppedMemory = fresh();
        long keptRows = 0;
        long droppedRows = 0;
        int texts = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int f = 0; f < FRAMES; f++) {
                List<byte[]> rgb = new ArrayList<>();
                List<List<String>> questions = new ArrayList<>();
                for (int s = 0; s < STREAMS; s++) {
                    WorldFrame frame = worlds.get(s).next();
                    rgb.add(frame.rgb());
                    // every third stream asks nothing: the batch forks for answers unevenly
                    questions.add(s % 3 == 0 ? List.of() : frame.questions().stream().map(YesNo::question).toList());
                }
                Step kept = step(keep, rgb, keptMemory, questions);
                Step dropped = step(drop, rgb, droppedMemory, questions);
                assertThat(dropped.texts()).as("frame %d", f).isEqualTo(kept.texts());
                keptMemory = kept.memory();
                droppedMemory = dropped.memory();
                for (int s = 0; s < STREAMS; s++) {
                    assertThat(droppedMemory.get(s).toBytes()).as("memory of stream %d after frame %d", s, f)
                            .isEqualTo(keptMemory.get(s).toBytes());
                }
                keptRows += kept.tokenRows();
                droppedRows += dropped.tokenRows();
                texts += kept.texts().size();
            }
        }
        assertThat(texts).isEqualTo(STREAMS * FRAMES);
        assertThat(droppedRows).as("greedy rows when finished streams leave the batch").isLessThan(keptRows * 3 / 4);
    }

    private static List<StreamMemory> fresh() {
        List<StreamMemory> memories = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            memories.add(StreamMemory.fresh(model.config()));
        }
        return memories;
    }

    /** One frame of every stream; the memories come back as streams so that each run owns its own. */
    private static Step step(GreedyDecoder decoder, List<byte[]> rgb, List<StreamMemory> memories,
                             List<List<String>> questions) {
        try (NDManager manager = model.manager().newSubManager()) {
            GreedyDecoder.Result result = decoder.decode(manager, model.vision().forward(model.vision().pixels(manager, rgb)),
                    MemoryBatch.of(manager, model.config(), memories), questions);
            return new Step(result.texts(), result.memory().toStreams(), result.tokenRows());
        }
    }

    private record Step(List<FrameText> texts, List<StreamMemory> memory, long tokenRows) {
    }
}
