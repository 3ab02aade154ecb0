package casastream.cli.tools.produce;

/** A picture that does not fit under the topic's message size limit, even re-encoded if allowed. */
public final class FrameTooLargeException extends Exception {

  private static final long serialVersionUID = 1L;

  public FrameTooLargeException(String message) {
    super(message);
  }
}
