package casastream.operators.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.validation.FrameRejection;
import casastream.operators.validation.FrameValidator;
import casastream.operators.validation.RejectedFrame;
import casastream.schemas.AvroCodec;
import casastream.schemas.DeadLetter;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each message of the hostile corpus, through the validator alone: refused with its own reason,
 * at a bounded cost in memory (whatever sizes the message declares), and with a dead letter that
 * encodes. The end-to-end test proves the same through Kafka and Flink.
 */
class HostileCorpusTest {

  private static final long NOW = 1_764_000_000_000L;
  /** Refusing a message may cost a few copies of it, never what its content merely declares. */
  private static final long MAX_ALLOCATION_BYTES = 32L * 1024 * 1024;
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @TempDir static Path files;

  static Stream<HostileInput> corpus() {
    return HostileCorpus.generate(NOW, files).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachHostileInputIsRefusedWithItsReasonAndADeadLetterThatEncodes(HostileInput input)
      throws Exception {
    FrameValidator validator = new FrameValidator(HostileCorpus.options(files));
    RawKafkaRecord record = new RawKafkaRecord("frames", 0, 42, NOW, input.key(), input.value());

    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    FrameRejection rejection = catchThrowableOfType(FrameRejection.class,
        () -> validator.validate(record, NOW));
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;

    assertThat(rejection).as("%s must be refused", input.name()).isNotNull();
    assertThat(rejection.reason()).as("%s: %s", input.name(), rejection.detail()).isEqualTo(input.reason());
    assertThat(rejection.detail()).isNotBlank();
    assertThat(allocated).as("%s: bytes allocated to refuse it", input.name())
        .isLessThan(MAX_ALLOCATION_BYTES);
    byte[] letter = AvroCodec.deadLetters().encode(RejectedFrame.of(record, rejection).toDeadLetter());
    DeadLetter decoded = AvroCodec.deadLetters().decode(letter);
    assertThat(decoded.getReason()).isEqualTo(input.reason());
    assertThat(decoded.getOriginalSize()).isEqualTo(input.value().length);
    assertThat(decoded.getOriginalBytes().remaining())
        .isEqualTo(Math.min(input.value().length, RejectedFrame.MAX_ORIGINAL_BYTES));
  }

  @Test
  void theCorpusIsDeterministicAndEveryMessageDistinct(@TempDir Path other) {
    List<HostileInput> first = HostileCorpus.generate(NOW, other.resolve("a"));
    List<HostileInput> second = HostileCorpus.generate(NOW, other.resolve("a"));
    Set<ByteBuffer> values = new HashSet<>();
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).value()).as(first.get(i).name()).isEqualTo(first.get(i).value());
      values.add(ByteBuffer.wrap(first.get(i).value()));
    }
    assertThat(values).hasSameSizeAs(first);
    assertThat(first).hasSizeGreaterThanOrEqualTo(40);
  }
}
