package casastream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic {@link TextEvent} ids: the same (stream, frame sequence, kind, query) always gives
 * the same id, so a consumer can drop duplicates after a replay. The id is the name-based UUID
 * (version 3, MD5, RFC 4122) of the UTF-8 name
 * {@code <byte length of streamId>:<streamId>/<frameSequence>/<KIND>/<queryId or empty>}; the length
 * prefix keeps ids distinct whatever characters a stream id holds. Any language can recompute it.
 */
public final class TextEventIds {

  private TextEventIds() {}

  public static String of(String streamId, long frameSequence, TextEventKind kind, String queryId) {
    String name = streamId.getBytes(StandardCharsets.UTF_8).length + ":" + streamId
        + "/" + frameSequence + "/" + kind.name() + "/" + (queryId == null ? "" : queryId);
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
