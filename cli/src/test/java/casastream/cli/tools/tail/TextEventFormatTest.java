package casastream.cli.tools.tail;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.schemas.FrameOffset;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TextEventFormatTest {

  static TextEvent event(String stream, TextEventKind kind, String text, String queryId) {
    return TextEvent.newBuilder()
        .setEventId(TextEventIds.of(stream, 41, kind, queryId))
        .setStreamId(stream)
        .setFrameSequence(41)
        .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_123L))
        .setEmitTime(Instant.ofEpochMilli(1_700_000_000_456L))
        .setKind(kind)
        .setText(text)
        .setQueryId(queryId)
        .setModelId("casa-test")
        .setProcessingLatencyMillis(333)
        .build();
  }

  @Test
  void jsonHasExactlyTheTextEventFieldNamesWithTheirValues() throws Exception {
    TextEvent alert = TextEvent.newBuilder(event("dock-2", TextEventKind.ALERT, "yes", "bay"))
        .setSource(new FrameOffset("frames", 1, 88L))
        .setAlertFrames(new FrameOffsetRange("frames", 1, 70L, 88L, 6, false))
        .build();
    JsonNode json = new ObjectMapper().readTree(TextEventFormat.JSON.format(alert));

    List<String> schemaFields = TextEvent.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
    List<String> jsonFields = new ArrayList<>();
    json.fieldNames().forEachRemaining(jsonFields::add);
    assertThat(jsonFields).containsExactlyElementsOf(schemaFields);
    assertThat(json.get("streamId").asText()).isEqualTo("dock-2");
    assertThat(json.get("kind").asText()).isEqualTo("ALERT");
    assertThat(json.get("queryId").asText()).isEqualTo("bay");
    assertThat(json.get("captureTime").asLong()).isEqualTo(1_700_000_000_123L);
    assertThat(json.get("processingLatencyMillis").asLong()).isEqualTo(333);
    assertThat(json.get("eventId").asText()).isEqualTo(alert.getEventId());
    assertThat(json.get("source").get("offset").asLong()).isEqualTo(88);
    assertThat(json.get("alertFrames").get("firstOffset").asLong()).isEqualTo(70);
    assertThat(json.get("alertFrames").get("truncated").asBoolean()).isFalse();
  }

  @Test
  void jsonWritesAMissingQueryIdAsNull() throws Exception {
    JsonNode json = new ObjectMapper().readTree(
        TextEventFormat.JSON.format(event("cam-1", TextEventKind.CAPTION, "a red circle", null)));
    assertThat(json.get("queryId").isNull()).isTrue();
    assertThat(json.get("source").isNull()).isTrue();
  }

  @Test
  void humanLineShowsStreamFrameKindQueryAndText() {
    String line = TextEventFormat.HUMAN.format(event("dock-2", TextEventKind.ALERT, "yes", "bay"));
    assertThat(line).contains("  dock-2  #41  ALERT  [bay] yes").doesNotContain("\n");
  }

  @Test
  void filterKeepsTheChosenStreamsPrefixesAndKinds() {
    TextEventFilter filter = new TextEventFilter(Set.of("cam-1", "dock-*"), Set.of(TextEventKind.ALERT));
    assertThat(filter.test(event("cam-1", TextEventKind.ALERT, "yes", "q"))).isTrue();
    assertThat(filter.test(event("dock-9", TextEventKind.ALERT, "yes", "q"))).isTrue();
    assertThat(filter.test(event("cam-10", TextEventKind.ALERT, "yes", "q"))).isFalse();
    assertThat(filter.test(event("cam-1", TextEventKind.CAPTION, "a red circle", null))).isFalse();
    assertThat(TextEventFilter.all().test(event("x", TextEventKind.ANSWER, "no", "q"))).isTrue();
  }
}
