package casastream.operators.inference;

import java.util.List;

/**
 * What the model wrote for one stream's frame.
 *
 * @param caption what the frame shows
 * @param events what happened since the previous frame (objects entering, leaving, moving), in order
 * @param answers one answer per question of the request, in the same order
 * @param memory the stream's new memory, to pass with its next frame
 * @param memoryReset true when the memory passed in could not be read by this model, so the frame
 *     ran with a fresh memory instead (the stream's earlier history is lost)
 */
public record StreamResult(
    String caption, List<String> events, List<String> answers, byte[] memory, boolean memoryReset) {

  /** A result computed from the memory as given. */
  public StreamResult(String caption, List<String> events, List<String> answers, byte[] memory) {
    this(caption, events, answers, memory, false);
  }

  public StreamResult {
    events = List.copyOf(events);
    answers = List.copyOf(answers);
    if (memory == null) {
      throw new IllegalArgumentException("A stream result must carry the stream's new memory");
    }
  }

  /**
   * The caption, then the events since the previous frame after a period ("a red circle. the red
   * circle moved left"): the text of the frame's CAPTION event.
   */
  public String captionWithEvents() {
    if (events.isEmpty()) {
      return caption;
    }
    return caption + ". " + String.join(" ; ", events);
  }
}
