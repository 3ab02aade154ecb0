package casastream.cli.wall;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.TestEvents;
import casastream.cli.tools.queries.QuerySpecs;
import casastream.schemas.AnswerMode;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wall's memory stays bounded at thousands of streams, and its pages list streams as people count them. */
class WallStateTest {

  @Test
  void keepsAtMostMaxStreamsOneThumbnailEachForgettingTheOneUpdatedLongestAgo() {
    WallState state = new WallState(1_000, 50);
    for (int i = 1; i <= 2_500; i++) {
      String stream = "cam-" + i;
      state.onEvent(event(stream, 1, TextEventKind.CAPTION, "caption of " + stream, null));
      state.onThumbnail(stream, 1, new byte[] {1}, i);
      state.onThumbnail(stream, 2, new byte[] {2}, i);
    }
    // cam-1 speaks again just before the end: it is kept, and cam-1501 (now the eldest) is not.
    state.onEvent(event("cam-1", 2, TextEventKind.CAPTION, "again", null));
    state.onEvent(event("cam-9999", 1, TextEventKind.CAPTION, "new", null));

    assertThat(state.streams()).isEqualTo(1_000);
    assertThat(state.stream("cam-1", List.of())).hasValueSatisfying(t -> assertThat(t.caption()).isEqualTo("again"));
    assertThat(state.stream("cam-1501", List.of())).isEmpty();
    assertThat(state.stream("cam-2500", List.of())).isPresent();
    assertThat(state.thumbnail("cam-2500")).hasValueSatisfying(png -> assertThat(png).containsExactly(2));
    assertThat(state.stream("cam-2500", List.of()).orElseThrow().thumbnailSequence()).isEqualTo(2);
  }

  @Test
  void pagesListStreamsInNaturalOrderAndTheFilterIsAPrefix() {
    WallState state = new WallState(100, 10);
    for (String stream : List.of("cam-10", "cam-2", "dock-1", "cam-1", "cam-02b")) {
      state.onEvent(event(stream, 1, TextEventKind.CAPTION, "x", null));
    }
    WallState.Page first = state.page("", 0, 2, List.of());
    assertThat(first.total()).isEqualTo(5);
    assertThat(first.streams()).extracting(WallState.Tile::streamId).containsExactly("cam-1", "cam-2");
    assertThat(state.page("", 1, 2, List.of()).streams()).extracting(WallState.Tile::streamId)
        .containsExactly("cam-02b", "cam-10");
    assertThat(state.page("", 9, 2, List.of()).streams()).isEmpty();
    assertThat(state.page("cam-", 0, 10, List.of()).total()).isEqualTo(4);
    assertThat(state.page("dock", 0, 10, List.of()).streams()).extracting(WallState.Tile::streamId)
        .containsExactly("dock-1");
  }

  @Test
  void anOlderCaptionNeverReplacesANewerOneAndAnswersOfRemovedQuestionsAreNotShown() {
    WallState state = new WallState(10, 10);
    state.onEvent(event("cam-1", 5, TextEventKind.CAPTION, "newer", null));
    state.onEvent(event("cam-1", 3, TextEventKind.CAPTION, "older", null));
    state.onEvent(event("cam-1", 5, TextEventKind.ANSWER, "yes", "red"));
    state.onEvent(event("cam-1", 5, TextEventKind.ANSWER, "no", "blue"));
    state.changeQuestions(q -> q.put("red", QuerySpecs.upsert("red", "is there a red circle ?", AnswerMode.YES_NO,
        List.of(), 0)));

    WallState.Tile tile = state.stream("cam-1", state.questionIds()).orElseThrow();
    assertThat(tile.caption()).isEqualTo("newer");
    assertThat(tile.answers()).containsOnlyKeys("red");
  }

  @Test
  void keepsTheLatestAlertsNewestFirstAndCountsEveryChange() {
    WallState state = new WallState(10, 3);
    long before = state.version();
    for (int i = 1; i <= 5; i++) {
      state.onEvent(event(i % 2 == 0 ? "cam-2" : "cam-1", i, TextEventKind.ALERT, i % 2 == 0 ? "yes" : "no", "red"));
    }
    assertThat(state.version()).isEqualTo(before + 5);
    assertThat(state.alerts("", 10)).extracting(TextEvent::getFrameSequence).containsExactly(5L, 4L, 3L);
    assertThat(state.alerts("cam-2", 10)).extracting(TextEvent::getFrameSequence).containsExactly(4L);
    assertThat(state.alert(TextEventIds.of("cam-1", 1, TextEventKind.ALERT, "red"))).isEmpty();
    assertThat(state.stream("cam-1", List.of("red")).orElseThrow().lastAlertQuery()).isEqualTo("red");

    // A stream whose events arrive late (another partition, a slower task) still lists by capture time.
    state.onEvent(event("cam-3", 4, TextEventKind.ALERT, "yes", "red"));
    state.onEvent(event("cam-3", 1, TextEventKind.ALERT, "no", "red"));
    assertThat(state.alerts("", 10)).extracting(e -> e.getStreamId() + "@" + e.getFrameSequence())
        .containsExactly("cam-1@5", "cam-3@4", "cam-2@4");  // at the same time, the one received last first
  }

  /** An event captured and emitted at {@code sequence} seconds. */
  private static TextEvent event(String stream, long sequence, TextEventKind kind, String text, String queryId) {
    return TestEvents.builder(stream, sequence, kind, text, queryId)
        .setCaptureTime(Instant.ofEpochMilli(1_000 * sequence))
        .setEmitTime(Instant.ofEpochMilli(1_000 * sequence))
        .build();
  }
}
