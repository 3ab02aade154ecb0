package casastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleasedSchemasTest {

  @ParameterizedTest
  @ValueSource(classes = {Frame.class, TextEvent.class, StandingQuery.class, DeadLetter.class})
  void theCurrentSchemaIsTheLatestRelease(Class<?> type) {
    List<Schema> released = ReleasedSchemas.of(type.getSimpleName());
    Schema current = SpecificData.get().getSchema(type);

    assertThat(released).as("released versions of %s", type.getSimpleName()).isNotEmpty();
    assertThat(AvroCodec.fingerprint(released.get(released.size() - 1)))
        .as("src/main/avro/%s.avsc changed without a new release under casastream/schemas/v<n+1>/",
            type.getSimpleName())
        .isEqualTo(AvroCodec.fingerprint(current));
  }

  @ParameterizedTest
  @ValueSource(classes = {Frame.class, TextEvent.class, StandingQuery.class, DeadLetter.class})
  void theCurrentSchemaReadsEveryReleasedVersion(Class<?> type) {
    Schema current = SpecificData.get().getSchema(type);

    for (Schema writer : ReleasedSchemas.of(type.getSimpleName())) {
      assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getType())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void anUnknownRecordNameHasNoReleases() {
    assertThat(ReleasedSchemas.of("NoSuchRecord")).isEmpty();
  }
}
