package casastream.model;

import java.util.Map;

/**
 * What the model wrote for one stream's frame, and the stream's memory after it.
 *
 * @param caption the caption of the frame
 * @param events  what happened since the previous frame ("none" when nothing did)
 * @param answers the answer to each standing question, by question
 * @param memory  the stream's new memory bytes (fixed size), to pass with its next frame
 * @param frames  frames the stream has seen, this one included
 */
public record StreamOutput(String caption, String events, Map<String, Boolean> answers, byte[] memory, long frames) {
}
