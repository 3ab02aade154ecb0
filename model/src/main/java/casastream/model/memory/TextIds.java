package casastream.model.memory;

/**
 * The word ids (no EOS) of a stream's caption and events for one frame: what greedy decoding wrote,
 * and the draft that decoding the stream's next frame checks first.
 */
public record TextIds(int[] caption, int[] events) {

    public TextIds {
        if (caption == null || events == null) {
            throw new IllegalArgumentException("a text's ids need both the caption's and the events'");
        }
    }
}
