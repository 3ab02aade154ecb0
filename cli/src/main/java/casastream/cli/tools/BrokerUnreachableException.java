package casastream.cli.tools;

/** No Kafka broker answered at the bootstrap address a tool was given. */
public final class BrokerUnreachableException extends ToolException {

  private static final long serialVersionUID = 1L;

  public BrokerUnreachableException(String bootstrapServers, Throwable cause) {
    super("No Kafka broker reachable at " + bootstrapServers + ": start one with `./casa-stream demo`"
        + " (it embeds a broker on localhost:9092) or pass --bootstrap HOST:PORT of a running Kafka", cause);
  }
}
