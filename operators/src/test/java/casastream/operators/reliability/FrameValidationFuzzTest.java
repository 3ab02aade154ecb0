package casastream.operators.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.validation.FrameRejection;
import casastream.operators.validation.FrameValidator;
import casastream.operators.validation.RejectedFrame;
import casastream.operators.validation.ValidFrame;
import casastream.operators.validation.ValidationOptions;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The decode-and-validate path under Jazzer, a coverage-guided fuzzer: whatever the bytes, the
 * validator returns a frame of the model's size or refuses with a reason, and the refusal makes a
 * dead letter that encodes. Any other exception, an error such as OutOfMemoryError (the fuzzing
 * run has a small heap) or an input running past the time limit is a finding.
 *
 * <p>{@code mvn verify} runs it in the surefire execution {@code fuzz} of operators/pom.xml (with
 * JAZZER_FUZZ=1): the saved inputs first, then 60 seconds of fuzzing. Findings are written under
 * operators/target/fuzz/; copy one into
 * src/test/resources/casastream/operators/reliability/FrameValidationFuzzTestInputs/ to replay it
 * on every run.
 */
class FrameValidationFuzzTest {

  private static final ValidationOptions OPTIONS = ValidationOptions.builder()
      .maxFrameBytes(256 * 1024)
      .maxImageSize(1024, 1024)
      .targetSize(32, 32)
      .fileUriRoot(emptyDirectory())
      .build();

  private final FrameValidator validator = new FrameValidator(OPTIONS);
  private final AvroCodec<DeadLetter> deadLetters = AvroCodec.deadLetters();

  @FuzzTest(maxDuration = "60s")
  void anyMessageBecomesAFrameOrADeadLetterNeverAnException(FuzzedDataProvider data)
      throws Exception {
    RawKafkaRecord record = FuzzedFrames.record(data);
    try {
      ValidFrame frame = validator.validate(record, FuzzedFrames.NOW);
      assertThat(frame.rgb).hasSize(3 * OPTIONS.targetWidth() * OPTIONS.targetHeight());
      assertThat(frame.streamId).isNotEmpty();
      assertThat(frame.sequence).isNotNegative();
    } catch (FrameRejection rejection) {
      assertThat(rejection.reason()).isNotNull().isNotEqualTo(DeadLetterReason.UNKNOWN);
      assertThat(rejection.detail()).isNotBlank();
      DeadLetter letter = deadLetters.decode(
          deadLetters.encode(RejectedFrame.of(record, rejection).toDeadLetter()));
      assertThat(letter.getReason()).isEqualTo(rejection.reason());
    }
  }

  private static Path emptyDirectory() {
    try {
      return Files.createTempDirectory("fuzz-files").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
