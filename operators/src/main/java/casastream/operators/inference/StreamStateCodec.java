package casastream.operators.inference;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  public static byte[] encode(StreamState state) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(64 + (state.memory == null ? 0 : state.memory.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      writeString(out, state.modelId);
      writeBytes(out, state.memory);
      out.writeLong(state.lastSequence);
      out.writeLong(state.lastCaptureMillis);
      out.writeLong(state.lastSeenMillis);
      writeString(out, state.lastEmittedCaption);
      out.writeLong(state.lastCaptionEmitMillis);
      out.writeLong(state.framesProcessed);
      out.writeInt(state.answers.size());
      for (Map.Entry<String, StreamState.Answer> entry : state.answers.entrySet()) {
        writeString(out, entry.getKey());
        writeString(out, entry.getValue().lastAnswer());
        writeString(out, entry.getValue().lastEmitted());
        out.writeLong(entry.getValue().lastEmitMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
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
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1))) {
      StreamState state = new StreamState();
      state.modelId = readString(in);
      state.memory = readBytes(in);
      state.lastSequence = in.readLong();
      state.lastCaptureMillis = in.readLong();
      state.lastSeenMillis = in.readLong();
      state.lastEmittedCaption = readString(in);
      state.lastCaptionEmitMillis = in.readLong();
      state.framesProcessed = in.readLong();
      int answers = in.readInt();
      for (int i = 0; i < answers; i++) {
        String queryId = readString(in);
        state.answers.put(
            queryId, new StreamState.Answer(readString(in), readString(in), in.readLong()));
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " unexpected trailing bytes");
      }
      return state;
    } catch (IOException | RuntimeException e) {
      throw new UnreadableStateException("Corrupt stream state value: " + e.getMessage(), e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(value.length);
    out.write(value);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.available()) {
      throw new IOException("field length " + length + " exceeds the " + in.available() + " bytes left");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
