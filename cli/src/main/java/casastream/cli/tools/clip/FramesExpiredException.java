package casastream.cli.tools.clip;

import casastream.cli.tools.ToolException;

/** The frames of a clip are no longer in the topic: Kafka's retention deleted them. */
public final class FramesExpiredException extends ToolException {

  private static final long serialVersionUID = 1L;

  FramesExpiredException(ClipRange range, long earliest) {
    super("The frames of event " + range.eventId() + " (stream " + range.streamId() + ", "
        + range.describe() + ") have expired from the topic: its earliest offset is now " + earliest
        + ". Kafka keeps frames as long as the topic's retention.ms and retention.bytes allow;"
        + " raise them to clip older events");
  }
}
