package casastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextEventIdsTest {

  @Test
  void theSameFrameKindAndQueryAlwaysGiveTheSameId() {
    assertThat(TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q1"))
        .isEqualTo(TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q1"));
  }

  @Test
  void everyPartOfTheNameChangesTheId() {
    String id = TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q1");

    assertThat(id)
        .isNotEqualTo(TextEventIds.of("cam-8", 42, TextEventKind.ANSWER, "q1"))
        .isNotEqualTo(TextEventIds.of("cam-7", 43, TextEventKind.ANSWER, "q1"))
        .isNotEqualTo(TextEventIds.of("cam-7", 42, TextEventKind.ALERT, "q1"))
        .isNotEqualTo(TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q2"));
    assertThat(TextEventIds.of("a/1", 2, TextEventKind.CAPTION, null))
        .isNotEqualTo(TextEventIds.of("a", 12, TextEventKind.CAPTION, null));
  }

  @Test
  void theIdMatchesTheDocumentedRecipeAsComputedElsewhere() {
    // Computed with Python: uuid.UUID(bytes=hashlib.md5(b"5:cam-7/42/ANSWER/q1").digest(), version=3)
    assertThat(TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q1"))
        .isEqualTo("b2446e77-df6b-3f36-b36f-f87dbed1c16b");
    // b"5:cam-7/42/CAPTION/" (no query)
    assertThat(TextEventIds.of("cam-7", 42, TextEventKind.CAPTION, null))
        .isEqualTo("e96fc4f6-87f3-3d02-8cdb-e11223c6daed");
  }
}
