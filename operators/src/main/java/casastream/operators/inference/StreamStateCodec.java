package casastream.operators.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte form of a {@link StreamState} in keyed state. It starts with a format version byte, so
 * that a value written by another format is detected and refused instead of misread.
 */
public final class StreamStateCodec {

  public static final byte FORMAT_VERSION = 1;

  /** Thrown for a value this codec cannot read; the operator then starts the stream afresh. */
  public static final class UnreadableStateException extends Exception {
    UnreadableStateException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private StreamStateCodec() {}

  /**
   * The value in one allocation of its exact size: the memory (tens of KB) is copied once, with no
   * growing buffer and no final copy.
   */
  public static byte[] encode(StreamState state) {
    byte[] modelId = utf8(state.modelId);
    byte[] caption = utf8(state.lastEmittedCaption);
    int answerCount = state.answers.size();
    byte[][] answerBytes = new byte[3 * answerCount][];
    int size = 1 + fieldSize(modelId) + fieldSize(state.memory) + 5 * Long.BYTES + fieldSize(caption) + Integer.BYTES;
    int a = 0;
    for (Map.Entry<String, StreamState.Answer> entry : state.answers.entrySet()) {
      answerBytes[a] = utf8(entry.getKey());
      answerBytes[a + 1] = utf8(entry.getValue().lastAnswer());
      answerBytes[a + 2] = utf8(entry.getValue().lastEmitted());
      size += fieldSize(answerBytes[a]) + fieldSize(answerBytes[a + 1]) + fieldSize(answerBytes[a + 2]) + Long.BYTES;
      a += 3;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT_VERSION);
    putBytes(out, modelId);
    putBytes(out, state.memory);
    out.putLong(state.lastSequence);
    out.putLong(state.lastCaptureMillis);
    out.putLong(state.lastSeenMillis);
    putBytes(out, caption);
    out.putLong(state.lastCaptionEmitMillis);
    out.putLong(state.framesProcessed);
    out.putInt(answerCount);
    a = 0;
    for (Map.Entry<String, StreamState.Answer> entry : state.answers.entrySet()) {
      putBytes(out, answerBytes[a]);
      putBytes(out, answerBytes[a + 1]);
      putBytes(out, answerBytes[a + 2]);
      out.putLong(entry.getValue().lastEmitMillis());
      a += 3;
    }
    return out.array();
  }

  public static StreamState decode(byte[] value) throws UnreadableStateException {
    if (value == null || value.length == 0) {
      throw new UnreadableStateException("Empty stream state value", null);
    }
    if (value[0] != FORMAT_VERSION) {
      throw new UnreadableStateException(
          "Stream state has format version " + value[0] + ", this operator reads version "
              + FORMAT_VERSION + ": it was written by another release",
          null);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(value, 1, value.length - 1);
      StreamState state = new StreamState();
      state.modelId = readString(in);
      state.memory = readBytes(in);
      state.lastSequence = in.getLong();
      state.lastCaptureMillis = in.getLong();
      state.lastSeenMillis = in.getLong();
      state.lastEmittedCaption = readString(in);
      state.lastCaptionEmitMillis = in.getLong();
      state.framesProcessed = in.getLong();
      int answers = in.getInt();
      for (int i = 0; i < answers; i++) {
        String queryId = readString(in);
        state.answers.put(
            queryId, new StreamState.Answer(readString(in), readString(in), in.getLong()));
      }
      if (in.hasRemaining()) {
        throw new IOException(in.remaining() + " unexpected trailing bytes");
      }
      return state;
    } catch (IOException | RuntimeException e) {
      throw new UnreadableStateException("Corrupt stream state value: " + e.getMessage(), e);
    }
  }

  private static byte[] utf8(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  /** A length-prefixed field: 4 bytes of length (-1 for null), then the bytes. */
  private static int fieldSize(byte[] value) {
    return Integer.BYTES + (value == null ? 0 : value.length);
  }

  private static void putBytes(ByteBuffer out, byte[] value) {
    if (value == null) {
      out.putInt(-1);
      return;
    }
    out.putInt(value.length);
    out.put(value);
  }

  private static String readString(ByteBuffer in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(ByteBuffer in) throws IOException {
    int length = in.getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new IOException("field length " + length + " exceeds the " + in.remaining() + " bytes left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }
}
