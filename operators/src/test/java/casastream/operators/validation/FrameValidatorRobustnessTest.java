package casastream.operators.validation;

import static casastream.operators.validation.TestFrames.NOW;
import static casastream.operators.validation.TestFrames.frame;
import static casastream.operators.validation.TestFrames.record;
import static org.assertj.core.api.Assertions.assertThat;

import casastream.schemas.AvroCodec;
import casastream.schemas.FrameEncoding;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damaged messages of every kind end in a frame or a typed refusal, never in an exception. */
class FrameValidatorRobustnessTest {

  private final FrameValidator validator = new FrameValidator(ValidationOptions.defaults());

  @ParameterizedTest
  @EnumSource(value = FrameEncoding.class, names = {"JPEG", "PNG", "RAW_RGB"})
  void randomlyDamagedMessagesAreValidOrRefusedNeverThrown(FrameEncoding encoding) {
    byte[] image = switch (encoding) {
      case JPEG -> TestFrames.jpeg(48, 32);
      case PNG -> TestFrames.png(48, 32);
      default -> TestFrames.rawRgb(48, 32, 200, 100, 50);
    };
    byte[] message = AvroCodec.frames().encode(frame(encoding, 48, 32, image).build());
    Random random = new Random(encoding.ordinal());
    int refused = 0;

    for (int trial = 0; trial < 300; trial++) {
      byte[] damaged = damage(message, random);
      try {
        validator.validate(record(null, damaged), NOW);
      } catch (FrameRejection expected) {
        refused++;
      }
    }

    assertThat(refused).as("most damage is detected").isGreaterThan(100);
  }

  /** Flips a few bytes, cuts the tail, or both. */
  private static byte[] damage(byte[] message, Random random) {
    byte[] damaged = random.nextBoolean()
        ? Arrays.copyOf(message, 1 + random.nextInt(message.length))
        : message.clone();
    for (int flips = random.nextInt(4); flips >= 0; flips--) {
      damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return damaged;
  }
}
