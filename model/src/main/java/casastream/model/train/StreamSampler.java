package casastream.model.train;

import casastream.model.world.CameraWorld;
import casastream.model.world.SeedRange;
import casastream.model.world.SeedRanges;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * B training streams running side by side. Each slot plays one camera world for a fixed number of
 * frames, then starts the next seed of the range; the cursor (how many seeds were used) is saved
 * with the training state so a resumed run never replays a stream. Every seed it draws passes
 * {@link SeedRanges#requireTraining}: a range that strays into validation, test or reserved seeds
 * fails at the first such seed instead of training on it.
 */
final class StreamSampler {

    private final WorldConfig world;
    private final SeedRange seeds;
    private final int streamFrames;
    private final CameraWorld[] slots;
    private final int[] lengths;
    private long cursor;

    StreamSampler(WorldConfig world, SeedRange seeds, int batch, int streamFrames, long cursor) {
        this(world, seeds, batch, streamFrames, cursor, false);
    }

    /**
     * @param stagger whether the slots' first streams are cut short, slot b's after (b+1)/B of
     *                streamFrames frames, so that the B streams of a step are at different ages (a
     *                history world's events happen only in old enough streams) instead of all
     *                starting and ending together
     */
    StreamSampler(WorldConfig world, SeedRange seeds, int batch, int streamFrames, long cursor, boolean stagger) {
        this.world = world;
        this.seeds = seeds;
        this.streamFrames = streamFrames;
        this.slots = new CameraWorld[batch];
        this.lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = stagger ? Math.max(1, (int) ((long) streamFrames * (b + 1) / batch)) : streamFrames;
        }
        this.cursor = cursor;
    }

    /** One frame of every slot; {@code fresh[b]} tells that slot b started a new stream with this frame. */
    record Frames(List<WorldFrame> frames, boolean[] fresh) {
    }

    Frames next() {
        List<WorldFrame> frames = new ArrayList<>(slots.length);
        boolean[] fresh = new boolean[slots.length];
        for (int b = 0; b < slots.length; b++) {
            if (slots[b] == null || slots[b].position() >= lengths[b]) {
                if (slots[b] != null) {
                    lengths[b] = streamFrames;
                }
                slots[b] = new CameraWorld(world, SeedRanges.requireTraining(seeds.seed(cursor % seeds.size())));
                cursor++;
                fresh[b] = true;
            }
            frames.add(slots[b].next());
        }
        return new Frames(frames, fresh);
    }

    long cursor() {
        return cursor;
    }
}
