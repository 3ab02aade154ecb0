package casastream.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.decode.FrameText;
import casastream.model.nn.InsertionCache;
import casastream.model.nn.NoGrad;
import casastream.model.text.Special;
import casastream.model.text.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The token-insertion baseline, to be measured against CASA on the same frames: the same decoder
 * weights, but each frame's image tokens are appended to the self-attention context and cached
 * with the text (fusion off), as LLaVA-style models do. The cache grows by P image tokens plus the
 * frame's text every frame, and so do memory and time per token. Per frame it writes the caption
 * and the events, greedily, in one batch for many streams.
 */
public final class InsertionDecoder {

    private final CasaModel model;
    private final CasaConfig config;
    private final int pad;
    private final int eos;

    public InsertionDecoder(CasaModel model) {
        this.model = model;
        this.config = model.config();
        Tokenizer tokenizer = model.tokenizer();
        this.pad = tokenizer.id(Special.PAD);
        this.eos = tokenizer.id(Special.EOS);
    }

    /** An empty cache for B streams that can hold {@code maxFrames} frames. */
    public InsertionCache open(NDManager manager, int batch, int maxFrames) {
        int perFrame = config.imageTokens() + config.textTail() + config.eventTokens();
        return model.decoder().insertionCache(manager, batch, maxFrames * perFrame);
    }

    /**
     * One frame for every stream of the cache: image tokens in, then caption and events out.
     *
     * @param images (B,P,D) this frame's image tokens
     */
    public List<FrameText> step(NDManager manager, InsertionCache cache, NDArray images) {
        try (NoGrad ignored = NoGrad.enter()) {
            return stepWithoutGrad(manager, cache, images);
        }
    }

    private List<FrameText> stepWithoutGrad(NDManager manager, InsertionCache cache, NDArray images) {
        int batch = Math.toIntExact(images.getShape().get(0));
        model.decoder().forwardInserted(cache, images, manager.ones(new Shape(batch, config.imageTokens())));
        List<int[]> captions = segment(manager, cache, batch, model.tokenizer().id(Special.CAPTION), config.textTail());
        List<int[]> events = segment(manager, cache, batch, model.tokenizer().id(Special.EVENTS), config.eventTokens());
        cache.compact();
        List<FrameText> texts = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            texts.add(new FrameText(model.tokenizer().decode(captions.get(b)), model.tokenizer().decode(events.get(b)), Map.of()));
        }
        return texts;
    }

    /** Feeds a segment marker, then decodes greedily until every stream wrote EOS or the segment is full. */
    private List<int[]> segment(NDManager manager, InsertionCache cache, int batch, int marker, int length) {
        int[][] feed = new int[batch][1];
        float[] valid = new float[batch];
        Arrays.stream(feed).forEach(row -> row[0] = marker);
        Arrays.fill(valid, 1f);
        List<List<Integer>> words = new ArrayList<>();
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            words.add(new ArrayList<>());
        }
        for (int position = 0; position < length - 1; position++) {
            NDArray hidden = model.decoder().forwardInserted(cache, model.decoder().embed(manager.create(feed)),
                    manager.create(valid, new Shape(batch, 1)));
            long[] next = model.decoder().logits(hidden).argMax(-1).toLongArray();
            boolean allDone = true;
            for (int b = 0; b < batch; b++) {
                int token = position == length - 2 ? eos : (int) next[b];
                valid[b] = done[b] ? 0f : 1f;
                feed[b][0] = done[b] ? pad : token;
                if (!done[b] && token != eos) {
                    words.get(b).add(token);
                }
                done[b] |= token == eos;
                allDone &= done[b];
            }
            if (allDone) {
                model.decoder().forwardInserted(cache, model.decoder().embed(manager.create(feed)),
                        manager.create(valid, new Shape(batch, 1)));
                break;
            }
        }
        List<int[]> out = new ArrayList<>(batch);
        words.forEach(w -> out.add(w.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }
}
