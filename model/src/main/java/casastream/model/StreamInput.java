package casastream.model;

import java.util.List;

/**
 * One stream's next frame for {@link CasaInference#step}.
 *
 * @param memory    the stream's memory bytes from the previous step, or null for a stream's first frame
 * @param rgb       the frame, interleaved RGB bytes (HWC), of the model's image size
 * @param questions the standing yes/no questions to answer on this frame (may be empty)
 */
public record StreamInput(byte[] memory, byte[] rgb, List<String> questions) {

    public StreamInput {
        if (rgb == null) {
            throw new IllegalArgumentException("a stream input needs the frame's RGB bytes");
        }
        questions = questions == null ? List.of() : List.copyOf(questions);
    }
}
