package casastream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import casastream.model.decode.FrameText;
import casastream.model.decode.Decoding;
import casastream.model.decode.GreedyDecoder;
import casastream.model.memory.MemoryBatch;
import casastream.model.memory.StreamMemory;

import casastream.model.nn.NoGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The serving entry point: one batched forward pass over many streams' next frames, each stream
 * bringing its own memory bytes and taking back new ones of the same fixed size. Stateless apart
 * from the model, so one instance may be shared by threads; each call works on its own native
 * memory scope, freed when it returns.
 */
public final class CasaInference {

    private final CasaModel model;
    private final GreedyDecoder decoder;
    private final LongAdder textsDecoded = new LongAdder();
    private final LongAdder draftsTaken = new LongAdder();

    public CasaInference(CasaModel model) {
        this(model, Decoding.DRAFT);
    }

    /** An instance whose batches decode as {@code decoding} says (the texts are the same either way). */
    public CasaInference(CasaModel model, Decoding decoding) {
        this.model = model;
        this.decoder = new GreedyDecoder(model, decoding);
    }

    /**
     * Decodes one frame for each input, in one batch.
     *
     * @throws IllegalArgumentException                         when a frame has the wrong size
     * @throws casastream.model.memory.MemoryFormatException   when memory bytes belong to another model or format
     */
    public List<StreamOutput> step(List<StreamInput> inputs) {
        try (NoGrad ignored = NoGrad.enter()) {
            return stepWithoutGrad(inputs);
        }
    }

    private List<StreamOutput> stepWithoutGrad(List<StreamInput> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        CasaConfig config = model.config();
        List<StreamMemory> memories = new ArrayList<>(inputs.size());
        for (StreamInput input : inputs) {
            memories.add(input.memory() == null ? StreamMemory.fresh(config) : StreamMemory.fromBytes(config, input.memory()));
        }
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray pixels = model.vision().pixels(manager, inputs.stream().map(StreamInput::rgb).toList());
            NDArray images = model.vision().forward(pixels); // (B,P,D)
            GreedyDecoder.Result result = decoder.decode(manager, images, MemoryBatch.of(manager, config, memories),
                    inputs.stream().map(StreamInput::questions).toList());
            textsDecoded.add(2L * inputs.size());
            draftsTaken.add(result.draftsTaken());
            List<StreamMemory> next = result.memory().toStreams();
            List<StreamOutput> outputs = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                FrameText text = result.texts().get(i);
                outputs.add(new StreamOutput(text.caption(), text.events(), text.answers(), next.get(i).toBytes(),
                        next.get(i).frames()));
            }
            return outputs;
        }
    }

    public CasaModel model() {
        return model;
    }

    /** Captions and events texts decoded so far by this instance (two per frame). */
    public long textsDecoded() {
        return textsDecoded.sum();
    }

    /** Of {@link #textsDecoded}, those taken whole from a confirmed draft (the stream's last text). */
    public long draftsTaken() {
        return draftsTaken.sum();
    }
}
