package casastream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid record of each type, for the tests of this module. */
final class Samples {

  private Samples() {}

  static Frame frame() {
    return Frame.newBuilder()
        .setStreamId("cam-7")
        .setSequence(42)
        .setCaptureTime(Instant.ofEpochMilli(1_764_000_000_123L))
        .setEncoding(FrameEncoding.RAW_RGB)
        .setWidth(2)
        .setHeight(1)
        .setImage(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))
        .setAttributes(Map.of("site", "dock-3"))
        .build();
  }

  static TextEvent textEvent() {
    return TextEvent.newBuilder()
        .setEventId(TextEventIds.of("cam-7", 42, TextEventKind.ANSWER, "q1"))
        .setStreamId("cam-7")
        .setFrameSequence(42)
        .setCaptureTime(Instant.ofEpochMilli(1_764_000_000_123L))
        .setEmitTime(Instant.ofEpochMilli(1_764_000_000_456L))
        .setKind(TextEventKind.ANSWER)
        .setText("yes")
        .setQueryId("q1")
        .setModelId("casa-tiny@1")
        .setProcessingLatencyMillis(333)
        .build();
  }

  /** An ALERT of the current version, naming its frame and the frames since the answer last changed. */
  static TextEvent alert() {
    return TextEvent.newBuilder(textEvent())
        .setEventId(TextEventIds.of("cam-7", 42, TextEventKind.ALERT, "q1"))
        .setKind(TextEventKind.ALERT)
        .setSource(new FrameOffset("frames", 2, 1_042L))
        .setAlertFrames(new FrameOffsetRange("frames", 2, 1_030L, 1_042L, 5, false))
        .build();
  }

  static StandingQuery standingQuery() {
    return StandingQuery.newBuilder()
        .setQueryId("q1")
        .setStreams(new StreamIdList(List.of("cam-7", "cam-8")))
        .setQuestion("is anyone in the loading bay?")
        .setAnswerMode(AnswerMode.YES_NO)
        .setEmitPolicy(new EveryInterval(10))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("frames")
        .setSourcePartition(3)
        .setSourceOffset(1234)
        .setSourceTimestamp(Instant.ofEpochMilli(1_764_000_000_000L))
        .setStreamId(null)
        .setReason(DeadLetterReason.NOT_AVRO)
        .setDetail("not an Avro message")
        .setOriginalBytes(ByteBuffer.wrap(new byte[] {9, 9, 9}))
        .setOriginalSize(3)
        .build();
  }
}
