package casastream.cli.tools.tail;

import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which text events a reader wants: by stream id (exact ids, or ids ending in {@code *} as a
 * prefix) and by kind. An empty set means "all".
 */
public final class TextEventFilter implements Predicate<TextEvent> {

  private final Set<String> streams;
  private final Set<TextEventKind> kinds;

  public TextEventFilter(Set<String> streams, Set<TextEventKind> kinds) {
    this.streams = Set.copyOf(streams);
    this.kinds = Set.copyOf(kinds);
  }

  public static TextEventFilter all() {
    return new TextEventFilter(Set.of(), Set.of());
  }

  @Override
  public boolean test(TextEvent event) {
    return (kinds.isEmpty() || kinds.contains(event.getKind()))
        && (streams.isEmpty() || streams.stream().anyMatch(s -> matches(s, event.getStreamId())));
  }

  private static boolean matches(String pattern, String streamId) {
    return pattern.endsWith("*")
        ? streamId.startsWith(pattern.substring(0, pattern.length() - 1))
        : streamId.equals(pattern);
  }
}
