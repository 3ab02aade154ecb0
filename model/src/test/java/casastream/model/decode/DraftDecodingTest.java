package casastream.model.decode;

import ai.djl.ndarray.NDManager;
import casastream.model.CasaModel;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;
import casastream.model.memory.StreamMemoryAccess;
import casastream.model.memory.TextIds;
import casastream.model.nn.NoGrad;
import casastream.model.world.CameraWorld;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.model.world.YesNo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The draft decoder (drafts checked in one pass, finished streams leaving the batch) writes the
 * plain decoder's texts for the shipped model on its camera world, frame after frame, with the same
 * memories, while doing less work.
 */
class DraftDecodingTest {

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
    void theDraftDecoderWritesThePlainDecodersTextsAndMemoriesWithLessWork() {
        Work work = assertSameAsPlain(24, 6);
        assertThat(work.drafts()).as("no draft is checked in a batch of 24").isZero();
    }

    @Test
    void inSmallBatchesDraftsAreCheckedAndConfirmedOnesTakenTheTextsStayThePlainOnes() {
        assertThat(GreedyDecoder.MAX_EVENT_DRAFT_ROWS).isGreaterThanOrEqualTo(4);
        Work work = assertSameAsPlain(4, 8);
        // 4 streams x 7 frames after the first: captions repeat most of the time, events less
        assertThat(work.drafts()).as("captions and events taken from confirmed drafts").isGreaterThan(10);
        assertThat(work.tokensKept()).as("the confirmed first tokens of drafts that part from the text later")
            .isPositive();
    }

    /** Drafts the draft decoder took whole, and tokens it kept of the others. */
    record Work(int drafts, long tokensKept) {
    }

    /** Decodes the streams with both decoders, asserts they agree, and returns what the draft decoder took of drafts. */
    private static Work assertSameAsPlain(int streams, int frames) {
        GreedyDecoder keep = new GreedyDecoder(model, Decoding.PLAIN);
        GreedyDecoder drop = new GreedyDecoder(model, Decoding.DRAFT);
        List<CameraWorld> worlds = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            worlds.add(new CameraWorld(WorldConfig.forModel(model.config()), SeedRanges.TEST.seed(s)));
        }
        List<StreamMemory> keptMemory = fresh(streams);
        List<StreamMemory> droppedMemory = fresh(streams);
        long keptRows = 0;
        long droppedRows = 0;
        int drafts = 0;
        long tokensKept = 0;
        int texts = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int f = 0; f < frames; f++) {
                List<byte[]> rgb = new ArrayList<>();
                List<List<String>> questions = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
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
                for (int s = 0; s < streams; s++) {
                    // a confirmed draft's tokens are fed as one chunk: the same entries to rounding
                    assertThat(StreamMemoryAccess.keys(droppedMemory.get(s), 0)).as("memory of stream %d after frame %d", s, f)
                            .containsExactly(StreamMemoryAccess.keys(keptMemory.get(s), 0), Offset.offset(2e-2f));
                    assertThat(droppedMemory.get(s).texts().caption()).isEqualTo(kept.ids().get(s).caption());
                    assertThat(droppedMemory.get(s).texts().events()).isEqualTo(kept.ids().get(s).events());
                }
                keptRows += kept.tokenRows();
                droppedRows += dropped.tokenRows();
                drafts += dropped.draftsTaken();
                tokensKept += dropped.draftTokensKept();
                texts += kept.texts().size();
            }
        }
        assertThat(texts).isEqualTo(streams * frames);
        if (streams > GreedyDecoder.MAX_CAPTION_DRAFT_ROWS) {
            // no drafts: finished streams leaving the batch is what saves the work
            assertThat(droppedRows).as("rows x tokens fed, draft against plain").isLessThan(keptRows * 3 / 4);
        }
        return new Work(drafts, tokensKept);
    }

    private static List<StreamMemory> fresh(int streams) {
        List<StreamMemory> memories = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            memories.add(StreamMemory.fresh(model.config()));
        }
        return memories;
    }

    /** One frame of every stream; the memories come back as streams so that each run owns its own. */
    static Step step(GreedyDecoder decoder, List<byte[]> rgb, List<StreamMemory> memories, List<List<String>> questions) {
        try (NDManager manager = model.manager().newSubManager()) {
            GreedyDecoder.Result result = decoder.decode(manager, model.vision().forward(model.vision().pixels(manager, rgb)),
                    null, MemoryBatch.of(manager, model.config(), memories), questions);
            return new Step(result.texts(), result.ids(), result.memory().toStreams(), result.tokenRows(),
                    result.draftsTaken(), result.draftTokensKept());
        }
    }

    record Step(List<FrameText> texts, List<TextIds> ids, List<StreamMemory> memory, long tokenRows, int draftsTaken,
                long draftTokensKept) {
    }
}
