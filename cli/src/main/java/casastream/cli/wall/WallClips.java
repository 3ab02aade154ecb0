package casastream.cli.wall;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.clip.ClipFetcher;
import casastream.cli.tools.clip.ClipRange;
import casastream.cli.tools.frames.FrameImages;
import casastream.operators.validation.FrameRejection;
import casastream.schemas.TextEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The clips the page plays: an alert's frames (its range and a few frames either side) fetched
 * from Kafka when first asked for, as small PNGs, the latest few clips kept.
 */
final class WallClips {

  static final int AROUND = 2;
  static final int SIDE = 320;
  private static final int KEPT = 8;

  /** One frame of a clip; {@code inRange}: one of the alert's own frames, not one around them. */
  record ClipFrame(long sequence, long captureTime, boolean inRange, byte[] png) {}

  record Clip(String eventId, String streamId, List<ClipFrame> frames) {}

  private final ClipFetcher fetcher;
  private final FrameImages images = new FrameImages(SIDE);
  private final Map<String, Clip> kept = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Clip> eldest) {
      return size() > KEPT;
    }
  };

  WallClips(KafkaAccess kafka) {
    this.fetcher = new ClipFetcher(kafka);
  }

  /** One clip at a time: a burst of clicks costs one fetch, not many. */
  synchronized Clip of(TextEvent alert) {
    Clip clip = kept.get(alert.getEventId());
    if (clip != null) {
      return clip;
    }
    ClipRange range = ClipRange.of(alert);
    List<ClipFrame> frames = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : fetcher.fetch(range, AROUND, AROUND)) {
      try {
        FrameImages.Picture picture = images.decode(record);
        boolean inRange = record.offset() >= range.firstOffset() && record.offset() <= range.lastOffset();
        frames.add(new ClipFrame(picture.sequence(), picture.captureMillis(), inRange, FrameImages.png(picture.image())));
      } catch (FrameRejection refused) {
        // Not a frame the job used: not part of the clip either.
      }
    }
    clip = new Clip(alert.getEventId(), alert.getStreamId(), List.copyOf(frames));
    kept.put(alert.getEventId(), clip);
    return clip;
  }
}
