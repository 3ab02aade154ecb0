package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamStateCodecTest {

  private static StreamState sample() {
    StreamState state = StreamState.fresh("model-a");
    state.recordFrame("model-a", new byte[] {1, 2, 3}, 41, 123_000, 124_000);
    state.lastEmittedCaption = "a red square";
    state.lastCaptionEmitMillis = 120_000;
    state.answers.put("bay", new StreamState.Answer("yes", "yes", 110_000));
    state.answers.put("colour", new StreamState.Answer("red", null, 0));
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
    assertThat(back.answer("colour")).isEqualTo(new StreamState.Answer("red", null, 0));
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
    for (int i = 0; i < 1000; i++) {
      state.recordFrame("model-a", new byte[] {1, 2, 3}, 42 + i, 124_000 + i, 125_000 + i);
    }
    assertThat(StreamStateCodec.encode(state)).hasSize(early);
  }
}
