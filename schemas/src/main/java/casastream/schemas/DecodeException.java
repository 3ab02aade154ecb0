package casastream.schemas;

/**
 * The one error {@link AvroCodec#decode} throws: the bytes are not a message this codec can read.
 * The {@link Reason} says which way they failed, so callers can route the message (e.g. to a
 * dead-letter topic) instead of failing.
 */
public final class DecodeException extends Exception {

  /** How the bytes failed to decode. */
  public enum Reason {
    /** No Avro single-object header (0xC3 0x01 + 8-byte fingerprint): not an Avro message at all. */
    NOT_AVRO,
    /** A well-formed header whose schema fingerprint the codec does not know. */
    UNKNOWN_SCHEMA,
    /** A known schema, but the body does not decode as a record of it (truncated, garbled, trailing bytes). */
    CORRUPT
  }

  private final Reason reason;

  public DecodeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
