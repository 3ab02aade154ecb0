package casastream.operators.inference;

import casastream.schemas.FrameOffset;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link TextEvent} as it flows through the job. A Flink POJO (public fields, no-argument
 * constructor), serialized field by field without Kryo; {@link #toTextEvent()} gives the Avro
 * record written to Kafka.
 */
public class EmittedText {

  public String eventId;
  public String streamId;
  public long frameSequence;
  /** Capture time of the frame, epoch milliseconds. */
  public long captureTimeMillis;
  /** When the event was produced, epoch milliseconds. */
  public long emitTimeMillis;
  public TextEventKind kind;
  public String text;
  /** The standing query answered; null for captions. */
  public String queryId;
  public String modelId;
  /** From the frame reaching the inference operator to the event being emitted. */
  public long processingLatencyMillis;
  /** The Kafka topic of the frame; null when the frame did not come from Kafka. */
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  /** ALERT only: how many frames its range holds (0: no range), the first one's offset, whether cut short. */
  public int alertFrames;
  public long alertFirstOffset;
  public boolean alertTruncated;

  public EmittedText() {}

  public TextEvent toTextEvent() {
    return TextEvent.newBuilder()
        .setEventId(eventId)
        .setStreamId(streamId)
        .setFrameSequence(frameSequence)
        .setCaptureTime(Instant.ofEpochMilli(captureTimeMillis))
        .setEmitTime(Instant.ofEpochMilli(emitTimeMillis))
        .setKind(kind)
        .setText(text)
        .setQueryId(queryId)
        .setModelId(modelId)
        .setProcessingLatencyMillis(processingLatencyMillis)
        .setSource(sourceTopic == null ? null : new FrameOffset(sourceTopic, sourcePartition, sourceOffset))
        .setAlertFrames(sourceTopic == null || alertFrames == 0 ? null : new FrameOffsetRange(
            sourceTopic, sourcePartition, alertFirstOffset, sourceOffset, alertFrames, alertTruncated))
        .build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmittedText other)) {
      return false;
    }
    return frameSequence == other.frameSequence && captureTimeMillis == other.captureTimeMillis
        && emitTimeMillis == other.emitTimeMillis && processingLatencyMillis == other.processingLatencyMillis
        && kind == other.kind && Objects.equals(eventId, other.eventId)
        && Objects.equals(streamId, other.streamId) && Objects.equals(text, other.text)
        && Objects.equals(queryId, other.queryId) && Objects.equals(modelId, other.modelId)
        && Objects.equals(sourceTopic, other.sourceTopic) && sourcePartition == other.sourcePartition
        && sourceOffset == other.sourceOffset && alertFrames == other.alertFrames
        && alertFirstOffset == other.alertFirstOffset && alertTruncated == other.alertTruncated;
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId);
  }

  @Override
  public String toString() {
    return kind + " " + streamId + "#" + frameSequence + (queryId == null ? "" : " [" + queryId + "]")
        + ": " + text;
  }
}
