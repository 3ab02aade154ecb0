package casastream.cli.tools;

/**
 * A failure a user can act on: its message says what was wrong and what to do, in one line. The
 * command line prints the message alone (no stack trace) and exits non-zero.
 */
public class ToolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The message of the innermost cause: usually the one that says what went wrong. */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
