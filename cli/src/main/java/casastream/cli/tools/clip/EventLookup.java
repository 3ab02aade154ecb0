package casastream.cli.tools.clip;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.cli.tools.TopicScan;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.TextEvent;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Finds a committed text event by its id, reading the text events topic as it stands now. */
public final class EventLookup {

  private final KafkaAccess kafka;
  private final String topic;
  private final AvroCodec<TextEvent> codec = AvroCodec.textEvents();

  public EventLookup(KafkaAccess kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  /** The event, or a {@link ToolException} that says it is not (or no longer) in the topic. */
  public TextEvent find(String eventId) {
    kafka.requireReachable();
    AtomicReference<TextEvent> found = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedConsumer()) {
      var partitions = TopicScan.partitions(consumer, topic);
      if (partitions.isEmpty()) {
        throw new ToolException("Topic " + topic + " does not exist: give the topic the job writes"
            + " its events to with --events-topic");
      }
      TopicScan.toEnd(consumer, partitions, record -> {
        try {
          TextEvent event = codec.decode(record.value());
          if (event.getEventId().equals(eventId)) {
            found.set(event);
          }
        } catch (DecodeException notAnEvent) {
          // Not a text event: nothing to match.
        }
      }, () -> found.get() != null);
    }
    if (found.get() == null) {
      throw new ToolException("No committed event " + eventId + " in topic " + topic + ": check the id"
          + " (`./casa-stream tail --json` prints eventId), or it has expired from the topic");
    }
    return found.get();
  }
}
