package casastream.operators.queries;

import casastream.schemas.AllStreams;
import casastream.schemas.StreamIdList;
import casastream.schemas.StreamIdPrefix;
import java.util.Set;

/** Which streams a standing question applies to. */
public sealed interface StreamSelector {

  boolean selects(String streamId);

  /** Every stream, including those that appear later. */
  record All() implements StreamSelector {
    @Override
    public boolean selects(String streamId) {
      return true;
    }
  }

  /** Exactly these stream ids. */
  record Ids(Set<String> streamIds) implements StreamSelector {
    public Ids {
      streamIds = Set.copyOf(streamIds);
    }

    @Override
    public boolean selects(String streamId) {
      return streamIds.contains(streamId);
    }
  }

  /** Every stream whose id starts with the prefix. */
  record Prefix(String prefix) implements StreamSelector {
    @Override
    public boolean selects(String streamId) {
      return streamId.startsWith(prefix);
    }
  }

  /** The selector a {@code StandingQuery.streams} union holds. */
  static StreamSelector fromAvro(Object streams) {
    if (streams instanceof AllStreams) {
      return new All();
    }
    if (streams instanceof StreamIdList list) {
      return new Ids(Set.copyOf(list.getStreamIds()));
    }
    if (streams instanceof StreamIdPrefix prefix) {
      return new Prefix(prefix.getPrefix());
    }
    throw new IllegalArgumentException(
        "Unknown streams selector " + streams + ": expected AllStreams, StreamIdList or StreamIdPrefix");
  }
}
