package casastream.operators.inference;

import java.util.List;

/**
 * One stream's share of a batch step.
 *
 * @param memory the stream's memory from its previous frame, or null for a new stream
 * @param rgb the frame, {@code imageSize * imageSize * 3} bytes, row-major RGB
 * @param questions the standing questions to answer for this frame, in order
 */
public record StreamRequest(byte[] memory, byte[] rgb, List<String> questions) {

  public StreamRequest {
    if (rgb == null) {
      throw new IllegalArgumentException("A stream request needs the frame's RGB pixels");
    }
    questions = List.copyOf(questions);
  }
}
