package casastream.cli;

import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.FrameOffset;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Text events as the job writes them, for the tools' tests: ids, times, source and an ALERT's range filled in. */
public final class TestEvents {

  private TestEvents() {}

  /**
   * An event of frame {@code sequence} (offset {@code sequence} of {@code frames-0}), captured and
   * emitted now; an ALERT's range is the 3 frames up to it.
   */
  public static TextEvent.Builder builder(String stream, long sequence, TextEventKind kind, String text, String queryId) {
    return TextEvent.newBuilder()
        .setEventId(TextEventIds.of(stream, sequence, kind, queryId))
        .setStreamId(stream)
        .setFrameSequence(sequence)
        .setCaptureTime(Instant.now())
        .setEmitTime(Instant.now())
        .setKind(kind)
        .setText(text)
        .setQueryId(queryId)
        .setModelId("casa-test")
        .setProcessingLatencyMillis(10)
        .setSource(new FrameOffset(Topics.FRAMES, 0, sequence))
        .setAlertFrames(kind == TextEventKind.ALERT
            ? new FrameOffsetRange(Topics.FRAMES, 0, Math.max(0, sequence - 2), sequence, 3, false) : null);
  }

  public static TextEvent event(String stream, long sequence, TextEventKind kind, String text, String queryId) {
    return builder(stream, sequence, kind, text, queryId).build();
  }

  /** Sends the event to the text events topic, keyed by its stream as the job keys it, and waits for the ack. */
  public static TextEvent send(KafkaProducer<byte[], byte[]> producer, TextEvent event) {
    try {
      producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, event.getStreamId().getBytes(StandardCharsets.UTF_8),
          AvroCodec.textEvents().encode(event))).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not send " + event.getEventId(), e);
    }
    return event;
  }
}
