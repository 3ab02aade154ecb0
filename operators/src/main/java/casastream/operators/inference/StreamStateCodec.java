package casastream.operators.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte form of a {@link StreamState} in keyed state. It starts with a format version byte, so
 * that a value written by another format is detected and refused instead of misread. Version 2
 * added each answer's run length and the ring of the latest frame offsets; version 1 values are
 * still read (with runs of unknown length and no offsets), so an upgrade keeps every stream's memory.
 */
public final class StreamStateCodec {

  public static final byte FORMAT_VERSION = 2;
  private static final byte VERSION_WITHOUT_OFFSETS = 1;

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
    byte[] offsetsTopic = utf8(state.offsetsTopic);
    int size = 1 + fieldSize(modelId) + fieldSize(state.memory) + 5 * Long.BYTES + fieldSize(caption) + Integer.BYTES
        + fieldSize(offsetsTopic) + 2 * Integer.BYTES + state.recentCount * Long.BYTES;
    int a = 0;
    for (Map.Entry<String, StreamState.Answer> entry : state.answers.entrySet()) {
      answerBytes[a] = utf8(entry.getKey());
      answerBytes[a + 1] = utf8(entry.getValue().lastAnswer());
      answerBytes[a + 2] = utf8(entry.getValue().lastEmitted());
      size += fieldSize(answerBytes[a]) + fieldSize(answerBytes[a + 1]) + fieldSize(answerBytes[a + 2])
          + Long.BYTES + Integer.BYTES;
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
      out.putInt(entry.getValue().framesHeld());
      a += 3;
    }
    putBytes(out, offsetsTopic);
    out.putInt(state.offsetsPartition);
    out.putInt(state.recentCount);
    for (int i = 0; i < state.recentCount; i++) {
      out.putLong(state.recentOffsets[i]);
    }
    return out.array();
  }

  public static StreamState decode(byte[] value) throws UnreadableStateException {
    if (value == null || value.length == 0) {
      throw new UnreadableStateException("Empty stream state value", null);
    }
    byte version = value[0];
    if (version != FORMAT_VERSION && version != VERSION_WITHOUT_OFFSETS) {
      throw new UnreadableStateException(
          "Stream state has format version " + version + ", this operator reads versions "
              + VERSION_WITHOUT_OFFSETS + " to " + FORMAT_VERSION + ": it was written by another release",
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
        String lastAnswer = readString(in);
        String lastEmitted = readString(in);
        long lastEmitMillis = in.getLong();
        int framesHeld = version == VERSION_WITHOUT_OFFSETS ? 1 : in.getInt();
        state.answers.put(queryId, new StreamState.Answer(lastAnswer, lastEmitted, lastEmitMillis, framesHeld));
      }
      if (version != VERSION_WITHOUT_OFFSETS) {
        readOffsets(in, state);
      }
      if (in.hasRemaining()) {
        throw new IOException(in.remaining() + " unexpected trailing bytes");
      }
      return state;
    } catch (IOException | RuntimeException e) {
      throw new UnreadableStateException("Corrupt stream state value: " + e.getMessage(), e);
    }
  }

  private static void readOffsets(ByteBuffer in, StreamState state) throws IOException {
    state.offsetsTopic = readString(in);
    state.offsetsPartition = in.getInt();
    int count = in.getInt();
    if (count < 0 || count > StreamState.RECENT_FRAMES) {
      throw new IOException(count + " recent offsets, at most " + StreamState.RECENT_FRAMES + " are kept");
    }
    for (int i = 0; i < count; i++) {
      state.recentOffsets[i] = in.getLong();
    }
    state.recentCount = count;
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
