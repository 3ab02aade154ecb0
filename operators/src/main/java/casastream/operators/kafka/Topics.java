package casastream.operators.kafka;

/** Default topic names shared by every job, producer and consumer. */
public final class Topics {

  /** Avro Frame messages, key = stream id (UTF-8). */
  public static final String FRAMES = "frames";
  /** Avro DeadLetter messages for frames the job refused, key = stream id when known. */
  public static final String FRAMES_DLQ = "frames-dlq";
  /** Avro TextEvent messages, key = stream id (UTF-8). */
  public static final String TEXT_EVENTS = "text-events";
  /** Avro StandingQuery messages, key = query id (UTF-8). */
  public static final String QUERIES = "queries";
  /** Frames that arrived too late to be used. */
  public static final String FRAMES_LATE = "frames-late";

  private Topics() {}
}
