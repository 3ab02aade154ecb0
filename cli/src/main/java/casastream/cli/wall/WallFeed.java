package casastream.cli.wall;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.TopicScan;
import casastream.cli.tools.frames.FrameImages;
import casastream.cli.tools.queries.StandingQueryClient;
import casastream.operators.validation.FrameRejection;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the wall from Kafka on one thread with one read_committed consumer: the committed text
 * events (from a few minutes back, so that a wall opened late shows the streams' captions), the
 * frames (from a few seconds back; per stream at most one thumbnail per interval, and within a
 * poll only each stream's latest frame is decoded) and the control topic from its beginning.
 */
final class WallFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WallFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration EVENTS_LOOK_BACK = Duration.ofMinutes(10);
  private static final Duration FRAMES_LOOK_BACK = Duration.ofSeconds(30);
  /** The longest side of a thumbnail, in pixels. */
  static final int THUMBNAIL_SIDE = 160;

  private final WallOptions options;
  private final WallState state;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final StandingQueryClient queries;
  private final AvroCodec<TextEvent> events = AvroCodec.textEvents();
  private final FrameImages thumbnails = new FrameImages(THUMBNAIL_SIDE);
  private final Thread thread;
  private volatile boolean stopped;

  WallFeed(KafkaAccess kafka, WallOptions options, WallState state) {
    this.options = options;
    this.state = state;
    this.queries = new StandingQueryClient(kafka, options.queriesTopic());
    this.consumer = kafka.committedConsumer();
    List<TopicPartition> eventPartitions = TopicScan.partitions(consumer, options.eventsTopic());
    List<TopicPartition> framePartitions = TopicScan.partitions(consumer, options.framesTopic());
    List<TopicPartition> queryPartitions = TopicScan.partitions(consumer, options.queriesTopic());
    List<TopicPartition> all = new ArrayList<>(eventPartitions);
    all.addAll(framePartitions);
    all.addAll(queryPartitions);
    consumer.assign(all);
    TopicScan.seekBack(consumer, eventPartitions, EVENTS_LOOK_BACK);
    TopicScan.seekBack(consumer, framePartitions, FRAMES_LOOK_BACK);
    consumer.seekToBeginning(queryPartitions);
    this.thread = new Thread(this::run, "casa-wall-feed");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      while (!stopped) {
        Map<String, ConsumerRecord<byte[], byte[]>> latestFrames = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.topic().equals(options.eventsTopic())) {
            event(record);
          } else if (record.topic().equals(options.queriesTopic())) {
            state.changeQuestions(active -> queries.apply(active, record));
          } else if (record.key() != null) {
            latestFrames.put(new String(record.key(), StandardCharsets.UTF_8), record);
          }
        }
        latestFrames.forEach(this::thumbnail);
      }
    } catch (WakeupException stopping) {
      // close() woke the consumer: a normal end.
    } catch (RuntimeException e) {
      LOG.error("The wall stopped reading Kafka: {}", e.toString(), e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void event(ConsumerRecord<byte[], byte[]> record) {
    try {
      state.onEvent(events.decode(record.value()));
    } catch (DecodeException e) {
      LOG.debug("Skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  private void thumbnail(String streamId, ConsumerRecord<byte[], byte[]> record) {
    long now = System.currentTimeMillis();
    if (!state.thumbnailDue(streamId, now, options.thumbnailInterval().toMillis())) {
      return;
    }
    try {
      FrameImages.Picture picture = thumbnails.decode(record);
      state.onThumbnail(picture.streamId(), picture.sequence(), FrameImages.png(picture.image()), now);
    } catch (FrameRejection refused) {
      // The job refuses it too (it goes to the dead letters): the wall shows the stream's last good frame.
    }
  }

  @Override
  public void close() {
    stopped = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
