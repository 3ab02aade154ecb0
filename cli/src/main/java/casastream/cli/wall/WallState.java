package casastream.cli.wall;

import casastream.schemas.StandingQuery;
import casastream.schemas.TextEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the wall knows, in bounded memory: per stream its latest caption, its latest answer to each
 * question and its latest thumbnail (one picture, never a history), for at most {@code maxStreams}
 * streams (the one updated longest ago is forgotten first); and the latest {@code maxAlerts}
 * alerts. Every change bumps {@link #version()}, which the page's live updates poll.
 * Thread-safe: the feeds write while the web server reads.
 */
final class WallState {

  /** How long a stream stays highlighted after an alert. */
  static final long ALERT_HIGHLIGHT_MILLIS = 30_000;

  /**
   * One stream as the page shows it. The thumbnail is the stream's latest frame
   * ({@code thumbnailSequence}); the caption is of frame {@code captionSequence}, which the job's
   * latency puts a little behind it.
   */
  record Tile(String streamId, String caption, long captionSequence, long captionTime,
      Map<String, String> answers, long lastAlertTime, String lastAlertQuery, long thumbnailVersion,
      long thumbnailSequence, long updated) {}

  /** A page of the grid: how many streams match, and those of this page. */
  record Page(int total, int page, int pageSize, List<Tile> streams) {}

  private final int maxStreams;
  private final int maxAlerts;
  private final AtomicLong version = new AtomicLong();
  private final Map<String, MutableTile> tiles;
  /** Newest first by capture time. */
  private final List<TextEvent> alerts = new ArrayList<>();
  /** The standing questions as the control topic says, by id, in the order first added. */
  private final Map<String, StandingQuery> questions = new LinkedHashMap<>();

  WallState(int maxStreams, int maxAlerts) {
    this.maxStreams = maxStreams;
    this.maxAlerts = maxAlerts;
    // Kept in update order (an update moves a stream to the end): the eldest is the first forgotten.
    this.tiles = new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, MutableTile> eldest) {
        return size() > WallState.this.maxStreams;
      }
    };
  }

  synchronized void onEvent(TextEvent event) {
    MutableTile tile = tile(event.getStreamId());
    tile.updated = event.getEmitTime().toEpochMilli();
    switch (event.getKind()) {
      case CAPTION -> {
        if (event.getFrameSequence() >= tile.captionSequence) {
          tile.caption = event.getText();
          tile.captionSequence = event.getFrameSequence();
          tile.captionTime = event.getCaptureTime().toEpochMilli();
        }
      }
      case ANSWER -> tile.answers.put(event.getQueryId(), event.getText());
      case ALERT -> {
        tile.answers.put(event.getQueryId(), event.getText());
        tile.lastAlertTime = event.getCaptureTime().toEpochMilli();
        tile.lastAlertQuery = event.getQueryId();
        insertByCaptureTime(event);
      }
      default -> {
        return;
      }
    }
    version.incrementAndGet();
  }

  /**
   * Keeps the alerts newest first by capture time (streams' events arrive interleaved, each stream's
   * in order), dropping the oldest beyond {@code maxAlerts}.
   */
  private void insertByCaptureTime(TextEvent alert) {
    int at = 0;
    for (TextEvent listed : alerts) {
      if (!listed.getCaptureTime().isAfter(alert.getCaptureTime())) {
        break;
      }
      at++;
    }
    alerts.add(at, alert);
    while (alerts.size() > maxAlerts) {
      alerts.remove(alerts.size() - 1);
    }
  }

  /** The stream's latest picture, replacing the one before. */
  synchronized void onThumbnail(String streamId, long sequence, byte[] png, long nowMillis) {
    MutableTile tile = tile(streamId);
    if (sequence < tile.thumbnailSequence) {
      return;
    }
    tile.thumbnail = png;
    tile.thumbnailSequence = sequence;
    tile.thumbnailMillis = nowMillis;
    tile.thumbnailVersion++;
    version.incrementAndGet();
  }

  /** Whether a new thumbnail of the stream is due (at most one per interval per stream). */
  synchronized boolean thumbnailDue(String streamId, long nowMillis, long intervalMillis) {
    MutableTile tile = tiles.get(streamId);
    return tile == null || nowMillis - tile.thumbnailMillis >= intervalMillis;
  }

  /** The streams whose id starts with the prefix (all for ""), in natural order (cam-2 before cam-10). */
  synchronized Page page(String prefix, int page, int pageSize, List<String> activeQueries) {
    List<MutableTile> matching = new ArrayList<>();
    for (MutableTile tile : tiles.values()) {
      if (tile.streamId.startsWith(prefix)) {
        matching.add(tile);
      }
    }
    matching.sort(Comparator.comparing(t -> t.streamId, NaturalOrder.INSTANCE));
    int from = Math.min(matching.size(), page * pageSize);
    int to = Math.min(matching.size(), from + pageSize);
    List<Tile> views = new ArrayList<>(to - from);
    for (MutableTile tile : matching.subList(from, to)) {
      views.add(tile.view(activeQueries));
    }
    return new Page(matching.size(), page, pageSize, views);
  }

  synchronized Optional<Tile> stream(String streamId, List<String> activeQueries) {
    MutableTile tile = tiles.get(streamId);
    return tile == null ? Optional.empty() : Optional.of(tile.view(activeQueries));
  }

  synchronized Optional<byte[]> thumbnail(String streamId) {
    MutableTile tile = tiles.get(streamId);
    return tile == null || tile.thumbnail == null ? Optional.empty() : Optional.of(tile.thumbnail);
  }

  /** The latest alerts, newest first by capture time, of streams whose id starts with the prefix. */
  synchronized List<TextEvent> alerts(String prefix, int max) {
    List<TextEvent> found = new ArrayList<>();
    for (TextEvent alert : alerts) {
      if (found.size() >= max) {
        break;
      }
      if (alert.getStreamId().startsWith(prefix)) {
        found.add(alert);
      }
    }
    return found;
  }

  synchronized Optional<TextEvent> alert(String eventId) {
    return alerts.stream().filter(a -> a.getEventId().equals(eventId)).findFirst();
  }

  /** Changes the standing questions (the feed applies each control-topic message). */
  synchronized void changeQuestions(Consumer<Map<String, StandingQuery>> change) {
    change.accept(questions);
    version.incrementAndGet();
  }

  synchronized List<StandingQuery> questions() {
    return List.copyOf(questions.values());
  }

  synchronized List<String> questionIds() {
    return List.copyOf(questions.keySet());
  }

  synchronized int streams() {
    return tiles.size();
  }

  long version() {
    return version.get();
  }

  /** The stream's tile, moved to the end of the update order (created when new). */
  private MutableTile tile(String streamId) {
    MutableTile tile = tiles.remove(streamId);
    if (tile == null) {
      tile = new MutableTile(streamId);
    }
    tiles.put(streamId, tile);
    return tile;
  }

  private static final class MutableTile {
    final String streamId;
    String caption;
    long captionSequence = -1;
    long captionTime;
    /** Bounded by the questions asked: an answer of a removed question is dropped when viewed. */
    final Map<String, String> answers = new TreeMap<>();
    long lastAlertTime;
    String lastAlertQuery;
    byte[] thumbnail;
    long thumbnailSequence = -1;
    long thumbnailMillis = Long.MIN_VALUE / 2;
    long thumbnailVersion;
    long updated;

    MutableTile(String streamId) {
      this.streamId = streamId;
    }

    Tile view(List<String> activeQueries) {
      answers.keySet().retainAll(activeQueries);
      return new Tile(streamId, caption, captionSequence, captionTime, Map.copyOf(answers), lastAlertTime,
          lastAlertQuery, thumbnail == null ? 0 : thumbnailVersion, thumbnail == null ? -1 : thumbnailSequence, updated);
    }
  }

  /** Compares runs of digits by their value, so that cam-2 sorts before cam-10. */
  enum NaturalOrder implements Comparator<String> {
    INSTANCE;

    @Override
    public int compare(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        char x = a.charAt(i);
        char y = b.charAt(j);
        if (Character.isDigit(x) && Character.isDigit(y)) {
          int si = i;
          int sj = j;
          while (i < a.length() && Character.isDigit(a.charAt(i))) {
            i++;
          }
          while (j < b.length() && Character.isDigit(b.charAt(j))) {
            j++;
          }
          String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
          String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
          int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
          if (c != 0) {
            return c;
          }
        } else {
          if (x != y) {
            return Character.compare(x, y);
          }
          i++;
          j++;
        }
      }
      return Integer.compare(a.length() - i, b.length() - j);
    }
  }
}
