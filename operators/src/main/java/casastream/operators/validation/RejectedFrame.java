package casastream.operators.validation;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.DeadLetter;
import casastream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A refused input on its way to the dead-letter topic: the DeadLetter's content as a Flink POJO,
 * so the side output needs no Avro serializer inside Flink. {@link #toDeadLetter()} gives the
 * Avro record written to Kafka.
 */
public class RejectedFrame {

  /** At most this many bytes of the original message are kept. */
  public static final int MAX_ORIGINAL_BYTES = 64 * 1024;

  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  public long sourceTimestamp;
  /** Null when the stream id could not be read or was itself refused. */
  public String streamId;
  public DeadLetterReason reason;
  public String detail;
  /** The first {@link #MAX_ORIGINAL_BYTES} bytes of the refused message value. */
  public byte[] originalBytes;
  public int originalSize;

  public RejectedFrame() {}

  public static RejectedFrame of(RawKafkaRecord record, FrameRejection rejection) {
    RejectedFrame rejected = new RejectedFrame();
    rejected.sourceTopic = record.topic;
    rejected.sourcePartition = record.partition;
    rejected.sourceOffset = record.offset;
    rejected.sourceTimestamp = record.timestamp;
    rejected.streamId = rejection.streamId();
    rejected.reason = rejection.reason();
    rejected.detail = rejection.detail();
    byte[] value = record.value == null ? new byte[0] : record.value;
    rejected.originalBytes = Arrays.copyOf(value, Math.min(value.length, MAX_ORIGINAL_BYTES));
    rejected.originalSize = value.length;
    return rejected;
  }

  public DeadLetter toDeadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic(sourceTopic)
        .setSourcePartition(sourcePartition)
        .setSourceOffset(sourceOffset)
        .setSourceTimestamp(Instant.ofEpochMilli(sourceTimestamp))
        .setStreamId(streamId)
        .setReason(reason)
        .setDetail(detail)
        .setOriginalBytes(ByteBuffer.wrap(originalBytes))
        .setOriginalSize(originalSize)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RejectedFrame other)) {
      return false;
    }
    return sourcePartition == other.sourcePartition && sourceOffset == other.sourceOffset
        && sourceTimestamp == other.sourceTimestamp && originalSize == other.originalSize
        && Objects.equals(sourceTopic, other.sourceTopic) && Objects.equals(streamId, other.streamId)
        && reason == other.reason && Objects.equals(detail, other.detail)
        && Arrays.equals(originalBytes, other.originalBytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceTopic, sourcePartition, sourceOffset, reason);
  }

  @Override
  public String toString() {
    return "RejectedFrame{" + reason + " " + sourceTopic + "-" + sourcePartition + "@"
        + sourceOffset + ": " + detail + "}";
  }
}
