package casastream.cli.tools.clip;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.TopicScan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a clip's frames from Kafka: the records of the range's stream between its two offsets, and
 * up to {@code before} of the stream's frames before the range and {@code after} after it (as many
 * as the partition holds). Other streams' records between them are skipped.
 */
public final class ClipFetcher {

  /** The most frames asked for on either side of a range. */
  public static final int MAX_AROUND = 1000;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The first step back when looking for frames before the range, in records; it grows fourfold. */
  private static final long FIRST_STEP_BACK = 64;

  private final KafkaAccess kafka;

  public ClipFetcher(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  /** The stream's frame records, in offset order. */
  public List<ConsumerRecord<byte[], byte[]>> fetch(ClipRange range, int before, int after) {
    if (before < 0 || after < 0 || before > MAX_AROUND || after > MAX_AROUND) {
      throw new IllegalArgumentException("--before and --after must be 0.." + MAX_AROUND + ", were " + before
          + " and " + after);
    }
    TopicPartition tp = new TopicPartition(range.topic(), range.partition());
    byte[] key = range.streamId().getBytes(StandardCharsets.UTF_8);
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedConsumer()) {
      consumer.assign(List.of(tp));
      long earliest = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
      long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
      if (earliest > range.firstOffset()) {
        throw new FramesExpiredException(range, earliest);
      }
      List<ConsumerRecord<byte[], byte[]>> frames = new ArrayList<>(framesBefore(consumer, tp, key, range, before, earliest));
      frames.addAll(stream(consumer, tp, key, range.firstOffset(), Math.min(end, range.lastOffset() + 1), Integer.MAX_VALUE));
      frames.addAll(stream(consumer, tp, key, range.lastOffset() + 1, end, after));
      return frames;
    }
  }

  /** The last {@code wanted} frames of the stream before the range, stepping back in growing windows. */
  private static List<ConsumerRecord<byte[], byte[]>> framesBefore(KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp, byte[] key, ClipRange range, int wanted, long earliest) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    long upTo = range.firstOffset();
    long step = FIRST_STEP_BACK;
    while (found.size() < wanted && upTo > earliest) {
      long from = Math.max(earliest, upTo - step);
      List<ConsumerRecord<byte[], byte[]>> window = stream(consumer, tp, key, from, upTo, Integer.MAX_VALUE);
      window.addAll(found);
      found = window;
      upTo = from;
      step *= 4;
    }
    return found.size() <= wanted ? found : new ArrayList<>(found.subList(found.size() - wanted, found.size()));
  }

  /** Up to {@code max} of the stream's records in [from, to). */
  private static List<ConsumerRecord<byte[], byte[]>> stream(KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp, byte[] key, long from, long to, int max) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    if (max == 0 || to <= from) {
      return found;
    }
    TopicScan.read(consumer, Map.of(tp, from), Map.of(tp, to), record -> {
      if (found.size() < max && Arrays.equals(record.key(), key)) {
        found.add(record);
      }
    }, () -> found.size() >= max);
    return found;
  }
}
