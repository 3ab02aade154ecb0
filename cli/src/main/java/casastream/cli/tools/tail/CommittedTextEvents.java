package casastream.cli.tools.tail;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.TextEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads text events as the job commits them: a read_committed consumer, so an event is seen only
 * once the checkpoint that produced it has completed, exactly what downstream consumers see.
 * Messages that are not TextEvents are reported on stderr and skipped.
 */
public final class CommittedTextEvents implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroCodec<TextEvent> codec = AvroCodec.textEvents();

  /**
   * @param fromBeginning read the topic's history first, or only events committed from now on
   */
  public CommittedTextEvents(KafkaAccess kafka, String topic, boolean fromBeginning) {
    kafka.requireReachable();
    this.consumer = kafka.committedConsumer();
    List<TopicPartition> partitions = partitions(topic);
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      // Resolve the positions now, so that events committed from here on are all seen.
      partitions.forEach(consumer::position);
    }
  }

  /**
   * Hands every committed event that passes the filter to {@code sink}, until {@code stop} says so,
   * {@code max} events were handed (0: no maximum) or {@link #wakeup()} is called.
   *
   * @return how many events were handed over
   */
  public long forEach(TextEventFilter filter, long max, BooleanSupplier stop, Consumer<TextEvent> sink) {
    long handed = 0;
    try {
      while (!stop.getAsBoolean() && (max == 0 || handed < max)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          TextEvent event = decode(record);
          if (event != null && filter.test(event)) {
            sink.accept(event);
            handed++;
            if (max != 0 && handed >= max) {
              break;
            }
          }
        }
      }
    } catch (WakeupException stopped) {
      // wakeup() from another thread (Ctrl-C): a normal end.
    }
    return handed;
  }

  /** Makes a running {@link #forEach} return; safe from any thread, also after {@link #close()}. */
  public void wakeup() {
    try {
      consumer.wakeup();
    } catch (IllegalStateException closed) {
      // Nothing is polling a closed consumer: nothing to wake.
    }
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  private TextEvent decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return codec.decode(record.value());
    } catch (DecodeException e) {
      System.err.println("casa-stream: skipping " + record.topic() + "-" + record.partition() + "@"
          + record.offset() + ": " + e.getMessage());
      return null;
    }
  }

  private List<TopicPartition> partitions(String topic) {
    long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      }
      if (System.nanoTime() > deadline) {
        consumer.close();
        throw new ToolException("Topic " + topic + " does not exist: start `./casa-stream demo`"
            + " (it creates the topics) or give the topic the job writes to with --topic");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        consumer.close();
        throw new ToolException("Interrupted while waiting for topic " + topic, e);
      }
    }
  }
}
