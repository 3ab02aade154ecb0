package casastream.cli.tools;

/**
 * A {@code HOST:PORT} option value (e.g. {@code --listen localhost:9092}), checked once: a bad one
 * is an error that names the option and shows the expected form.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the host is empty: give HOST:PORT, e.g. localhost:9092");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
    }
  }

  /**
   * Parses {@code text} as HOST:PORT for the option named {@code option}.
   *
   * @throws IllegalArgumentException naming the option, when the text is not HOST:PORT
   */
  public static HostPort parse(String option, String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(option + " takes HOST:PORT, e.g. localhost:9092, got " + text);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " port is not a number in " + text, e);
    }
    try {
      return new HostPort(text.substring(0, colon), port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage() + " in " + text, e);
    }
  }

  /** True for an address that accepts connections from other machines (a wildcard or a non-loopback address). */
  public boolean opensToTheNetwork() {
    return !(host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]"));
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
