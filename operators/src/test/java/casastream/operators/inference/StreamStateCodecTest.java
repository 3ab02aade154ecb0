package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamStateCodecTest {

  private static StreamState sample() {
    StreamState state = StreamState.fresh("model-a");
    state.recordFrame("model-a", new byte[] {1, 2, 3}, 41, 123_000, 124_000);
    state.lastEmittedCaption = "a red square";
    state.lastCaptionEmitMillis = 120_000;
    state.answers.put("bay", new StreamState.Answer("yes", "yes", 110_000));
    state.answers.put("colour", new StreamState.Answer("red", null, 0, 7));
    state.recordOffset("frames", 2, 900);
    state.recordOffset("frames", 2, 904);
    return state;
  }

  @Test
  void readsBackWhatItWrote() throws Exception {
    StreamState back = StreamStateCodec.decode(StreamStateCodec.encode(sample()));

    assertThat(back.memoryFor("model-a")).containsExactly(1, 2, 3);
    assertThat(back.lastSequence()).isEqualTo(41);
    assertThat(back.lastCaptureMillis()).isEqualTo(123_000);
    assertThat(back.lastSeenMillis()).isEqualTo(124_000);
    assertThat(back.framesProcessed()).isEqualTo(1);
    assertThat(back.lastEmittedCaption()).isEqualTo("a red square");
    assertThat(back.answer("bay")).isEqualTo(new StreamState.Answer("yes", "yes", 110_000));
    assertThat(back.answer("colour")).isEqualTo(new StreamState.Answer("red", null, 0, 7));
    assertThat(back.recentFrames()).isEqualTo(2);
    assertThat(back.recentOffset(0)).isEqualTo(904);
    assertThat(back.recentOffset(1)).isEqualTo(900);
  }

  @Test
  void readsAVersion1ValueKeepingItsMemoryWithoutOffsets() throws Exception {
    byte[] model = "model-a".getBytes(StandardCharsets.UTF_8);
    byte[] bay = "bay".getBytes(StandardCharsets.UTF_8);
    byte[] yes = "yes".getBytes(StandardCharsets.UTF_8);
    ByteBuffer v1 = ByteBuffer.allocate(1 + 4 + model.length + 4 + 3 + 5 * 8 + 4 + 4
        + 4 + bay.length + 2 * (4 + yes.length) + 8);
    v1.put((byte) 1).putInt(model.length).put(model).putInt(3).put(new byte[] {1, 2, 3});
    v1.putLong(41).putLong(123_000).putLong(124_000).putInt(-1).putLong(0).putLong(1);
    v1.putInt(1).putInt(bay.length).put(bay).putInt(yes.length).put(yes).putInt(yes.length).put(yes).putLong(110_000);

    StreamState back = StreamStateCodec.decode(v1.array());

    assertThat(back.memoryFor("model-a")).containsExactly(1, 2, 3);
    assertThat(back.lastSequence()).isEqualTo(41);
    assertThat(back.answer("bay")).isEqualTo(new StreamState.Answer("yes", "yes", 110_000, 1));
    assertThat(back.recentFrames()).isZero();
  }

  @Test
  void keepsOnlyTheLatestOffsetsAndStartsAfreshOnAnotherPartition() {
    StreamState state = StreamState.fresh("m");
    for (int i = 0; i < StreamState.RECENT_FRAMES + 5; i++) {
      state.recordOffset("frames", 0, i);
    }
    assertThat(state.recentFrames()).isEqualTo(StreamState.RECENT_FRAMES);
    assertThat(state.recentOffset(StreamState.RECENT_FRAMES - 1)).isEqualTo(5);

    state.recordOffset("frames", 1, 77);
    assertThat(state.recentFrames()).isEqualTo(1);
    assertThat(state.recentOffset(0)).isEqualTo(77);
  }

  @Test
  void handsNoMemoryToADifferentModel() throws Exception {
    StreamState back = StreamStateCodec.decode(StreamStateCodec.encode(sample()));
    assertThat(back.memoryFor("model-b")).isNull();
  }

  @Test
  void refusesAnotherFormatVersionInsteadOfMisreadingIt() {
    byte[] value = StreamStateCodec.encode(sample());
    value[0] = 9;
    assertThatThrownBy(() -> StreamStateCodec.decode(value))
        .isInstanceOf(StreamStateCodec.UnreadableStateException.class)
        .hasMessageContaining("format version 9");
  }

  @Test
  void refusesATruncatedValue() {
    byte[] value = StreamStateCodec.encode(sample());
    byte[] cut = java.util.Arrays.copyOf(value, value.length - 5);
    assertThatThrownBy(() -> StreamStateCodec.decode(cut)).isInstanceOf(StreamStateCodec.UnreadableStateException.class);
  }

  @Test
  void staysTheSameSizeAsTheStreamGrowsOld() {
    StreamState state = sample();
    int early = StreamStateCodec.encode(state).length;
    for (int i = 0; i < StreamState.RECENT_FRAMES; i++) {
      state.recordOffset("frames", 2, 1000 + i);
    }
    int full = StreamStateCodec.encode(state).length;
    for (int i = 0; i < 1000; i++) {
      state.recordFrame("model-a", new byte[] {1, 2, 3}, 42 + i, 124_000 + i, 125_000 + i);
      state.recordOffset("frames", 2, 2000 + i);
    }
    assertThat(full - early).isEqualTo((StreamState.RECENT_FRAMES - 2) * Long.BYTES);
    early = full;
    assertThat(StreamStateCodec.encode(state)).hasSize(early);
  }
}
