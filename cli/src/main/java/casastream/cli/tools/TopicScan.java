package casastream.cli.tools;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions of a topic between two offsets and stops: what the tools need to see "what the
 * topic says now" (the standing questions, an event by its id, the frames of a clip) rather than
 * to follow it. Under read_committed the end offsets are the last stable ones: nothing committed
 * lies beyond them.
 */
public final class TopicScan {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicScan() {}

  /** The topic's partitions, or an empty list when the topic does not exist. */
  public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    if (infos == null) {
      return List.of();
    }
    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }

  /** Every record of the partitions from their beginning to their current end, in offset order per partition. */
  public static void toEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    toEnd(consumer, partitions, sink, () -> false);
  }

  /** As {@link #toEnd(KafkaConsumer, List, Consumer)}, stopping early once {@code enough} says so. */
  public static void toEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      Consumer<ConsumerRecord<byte[], byte[]>> sink, BooleanSupplier enough) {
    if (partitions.isEmpty()) {
      return;
    }
    consumer.assign(partitions);
    read(consumer, consumer.beginningOffsets(partitions, TIMEOUT), consumer.endOffsets(partitions, TIMEOUT), sink,
        enough);
  }

  /**
   * The records of each partition from its start offset (inclusive) to its end offset (exclusive).
   * The consumer is assigned exactly these partitions.
   */
  public static void read(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    read(consumer, starts, ends, sink, () -> false);
  }

  /** As {@link #read(KafkaConsumer, Map, Map, Consumer)}, stopping early once {@code enough} says so. */
  public static void read(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends, Consumer<ConsumerRecord<byte[], byte[]>> sink, BooleanSupplier enough) {
    Map<TopicPartition, Long> open = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> start : starts.entrySet()) {
      long end = ends.getOrDefault(start.getKey(), start.getValue());
      if (end > start.getValue()) {
        open.put(start.getKey(), end);
      }
    }
    if (open.isEmpty()) {
      return;
    }
    consumer.assign(open.keySet());
    open.keySet().forEach(tp -> consumer.seek(tp, starts.get(tp)));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!open.isEmpty() && !enough.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new ToolException("Could not read " + open.keySet() + " to offsets " + open.values()
            + " within " + TIMEOUT.toSeconds() + " s");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Long end = open.get(tp);
        if (end != null && record.offset() < end) {
          sink.accept(record);
        }
      }
      // Positions pass transaction markers and aborted records too, so compare positions, not offsets seen.
      open.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      if (open.isEmpty()) {
        return;
      }
      consumer.pause(consumer.assignment().stream().filter(tp -> !open.containsKey(tp)).toList());
    }
  }

  /**
   * Positions each partition at its first record at most {@code lookBack} old, or at its end when
   * it has none that recent.
   */
  public static void seekBack(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Duration lookBack) {
    long since = System.currentTimeMillis() - lookBack.toMillis();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(tp -> times.put(tp, since));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = offsets.get(tp);
      consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
    }
  }
}
