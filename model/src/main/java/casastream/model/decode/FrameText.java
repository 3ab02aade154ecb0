package casastream.model.decode;

import java.util.Map;

/**
 * What the model wrote for one stream's frame.
 *
 * @param caption the caption, without markers
 * @param events  the events text ("none" when nothing happened)
 * @param answers the answer to each standing question, by question text
 */
public record FrameText(String caption, String events, Map<String, Boolean> answers) {
}
