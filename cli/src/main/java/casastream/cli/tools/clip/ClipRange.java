package casastream.cli.tools.clip;

import casastream.cli.tools.ToolException;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.TextEvent;

/**
 * The frames an event was written from: for an ALERT its range (the stream's frames since the
 * answer last changed), for any other event its own frame. One partition of the frames topic; the
 * stream's frames are the records keyed by its id between the two offsets.
 *
 * @param frames how many of the stream's frames lie between the offsets (both included)
 */
public record ClipRange(String eventId, String streamId, String topic, int partition, long firstOffset,
    long lastOffset, int frames) {

  public static ClipRange of(TextEvent event) {
    if (event.getSource() == null) {
      throw new ToolException("Event " + event.getEventId() + " does not name its frame: it was written"
          + " by a job older than schema v2 (TextEvent.source), so its frames cannot be found");
    }
    FrameOffsetRange range = event.getAlertFrames();
    if (range != null) {
      return new ClipRange(event.getEventId(), event.getStreamId(), range.getTopic(), range.getPartition(),
          range.getFirstOffset(), range.getLastOffset(), range.getFrames());
    }
    return new ClipRange(event.getEventId(), event.getStreamId(), event.getSource().getTopic(),
        event.getSource().getPartition(), event.getSource().getOffset(), event.getSource().getOffset(), 1);
  }

  /** {@code frames-2 offsets 1030..1042} */
  public String describe() {
    return topic + "-" + partition + " offsets " + firstOffset + ".." + lastOffset;
  }
}
