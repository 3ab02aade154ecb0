package casastream.operators.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.model.CasaConfig;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.memory.MemoryFormatException;
import casastream.model.memory.StreamMemory;
import casastream.model.text.WorldTokenizer;
import casastream.operators.inference.StreamState;
import casastream.operators.inference.StreamStateCodec;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * State written by another model config, memory format or state format is never misread: each
 * layer that stores a stream's memory refuses bytes it did not write, with a typed error, so the
 * stream starts afresh instead of decoding another model's numbers as its own.
 */
class FormatChangeSafetyTest {

  private static final CasaConfig CONFIG = config(2, MemoryPrecision.FP32);
  /** The memory layout depends on H, so keeping one more frame is another memory format. */
  private static final CasaConfig LONGER_HISTORY = config(3, MemoryPrecision.FP32);
  private static final CasaConfig HALF_PRECISION = config(2, MemoryPrecision.FP16);
  /** Byte 4 of a serialized memory is its format version ("CASM" magic first). */
  private static final int VERSION_BYTE = 4;

  @Test
  void memoryOfAnotherModelConfigIsRefused() {
    byte[] written = StreamMemory.fresh(CONFIG).toBytes();

    assertThatThrownBy(() -> StreamMemory.fromBytes(LONGER_HISTORY, written))
        .isInstanceOf(MemoryFormatException.class)
        .hasMessageContaining("another model");
    assertThatThrownBy(() -> StreamMemory.fromBytes(HALF_PRECISION, written))
        .isInstanceOf(MemoryFormatException.class);
  }

  @Test
  void memoryOfAnotherFormatVersionIsRefused() {
    byte[] written = StreamMemory.fresh(CONFIG).toBytes();
    written[VERSION_BYTE] = (byte) (StreamMemory.FORMAT_VERSION + 1);

    assertThatThrownBy(() -> StreamMemory.fromBytes(CONFIG, written))
        .isInstanceOf(MemoryFormatException.class)
        .hasMessageContaining("format version");
  }

  @Test
  void truncatedOrForeignBytesAreNeverReadAsMemory() {
    byte[] written = StreamMemory.fresh(CONFIG).toBytes();
    byte[] noise = new byte[written.length];
    new Random(5).nextBytes(noise);

    for (byte[] bytes : new byte[][] {
        Arrays.copyOf(written, written.length - 1), Arrays.copyOf(written, 10), new byte[0], noise}) {
      assertThatThrownBy(() -> StreamMemory.fromBytes(CONFIG, bytes))
          .as("%d bytes", bytes.length)
          .isInstanceOf(MemoryFormatException.class);
    }
  }

  @Test
  void streamStateOfAnotherFormatVersionIsUnreadable() {
    byte[] value = StreamStateCodec.encode(StreamState.fresh("casa-a"));
    value[0] = (byte) (StreamStateCodec.FORMAT_VERSION + 1);

    assertThatThrownBy(() -> StreamStateCodec.decode(value))
        .isInstanceOf(StreamStateCodec.UnreadableStateException.class)
        .hasMessageContaining("format version");
  }

  @Test
  void memoryWrittenByOtherWeightsIsNotHandedToTheModel() throws Exception {
    StreamState state = StreamState.fresh("casa-a");
    state.recordFrame("casa-a", StreamMemory.fresh(CONFIG).toBytes(), 7, 1_000, 2_000);

    StreamState restored = StreamStateCodec.decode(StreamStateCodec.encode(state));

    assertThat(restored.memoryFor("casa-a")).isNotNull();
    assertThat(restored.memoryFor("casa-b")).as("memory of other weights").isNull();
  }

  private static CasaConfig config(int gistHistory, MemoryPrecision precision) {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    return new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
        FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
        3, gistHistory, 4, 4, 16, tokenizer.vocabSize(), tokenizer.name(), precision, 10_000);
  }
}
