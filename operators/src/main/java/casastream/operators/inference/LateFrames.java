package casastream.operators.inference;

import casastream.operators.validation.ValidFrame;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * Frames that arrived after a newer frame of their stream had been accepted: the inference
 * operator's side output, written to the {@code frames-late} topic so that nothing disappears
 * silently.
 */
public final class LateFrames {

  /** The inference operator's side output for late validated frames. */
  public static final OutputTag<ValidFrame> TAG =
      new OutputTag<>("late-frames", TypeInformation.of(ValidFrame.class));

  private LateFrames() {}

  /**
   * The late frame as a {@link Frame} message: RAW_RGB at the size it was validated to, with its
   * Kafka provenance in the attributes {@code sourceTopic}, {@code sourcePartition} and
   * {@code sourceOffset}, so the original message can be found.
   */
  public static Frame toFrame(ValidFrame frame) {
    return Frame.newBuilder()
        .setStreamId(frame.streamId)
        .setSequence(frame.sequence)
        .setCaptureTime(Instant.ofEpochMilli(frame.captureTimeMillis))
        .setEncoding(FrameEncoding.RAW_RGB)
        .setWidth(frame.width)
        .setHeight(frame.height)
        .setImage(ByteBuffer.wrap(frame.rgb))
        .setAttributes(Map.of(
            "sourceTopic", String.valueOf(frame.sourceTopic),
            "sourcePartition", String.valueOf(frame.sourcePartition),
            "sourceOffset", String.valueOf(frame.sourceOffset)))
        .build();
  }
}
