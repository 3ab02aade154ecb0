package casastream.cli.tools.produce;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.operators.kafka.KafkaDefaults;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Sends frames to the frames topic as Avro single-object messages keyed by stream id, never above
 * the topic's message size limit (read from the broker once, at start).
 */
public final class FramePublisher implements AutoCloseable {

  /** Room for the batch header, the key and the frame's other fields around the image bytes. */
  static final int MESSAGE_OVERHEAD_BYTES = 2048;
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(5);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final int maxMessageBytes;
  private final AvroCodec<Frame> codec = AvroCodec.frames();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  private FramePublisher(KafkaProducer<byte[], byte[]> producer, String topic, int maxMessageBytes) {
    this.producer = producer;
    this.topic = topic;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Checks the broker is reachable and reads the topic's size limit. */
  public static FramePublisher open(KafkaAccess kafka, String topic) {
    kafka.requireReachable();
    int limit;
    try (Admin admin = kafka.admin()) {
      limit = Math.min(topicLimit(admin, topic), KafkaDefaults.MAX_MESSAGE_BYTES);
    }
    return new FramePublisher(kafka.producer(), topic, limit);
  }

  /** The largest message this publisher sends. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The largest encoded image that fits in a message with the frame's other fields. */
  public int maxImageBytes() {
    return Math.max(1, maxMessageBytes - MESSAGE_OVERHEAD_BYTES);
  }

  /**
   * Sends one frame without waiting for the broker; failures are counted and reported by
   * {@link #flush()}.
   *
   * @return the size of the message sent
   */
  public int publish(String streamId, long sequence, Instant captureTime, FrameEncoder.Encoded image)
      throws FrameTooLargeException {
    Frame frame = Frame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTime(captureTime)
        .setEncoding(image.encoding())
        .setWidth(image.width())
        .setHeight(image.height())
        .setImage(ByteBuffer.wrap(image.bytes()))
        .setAttributes(Map.of())
        .build();
    byte[] value = codec.encode(frame);
    if (value.length > maxMessageBytes) {
      throw new FrameTooLargeException("Frame " + sequence + " of stream " + streamId + " is "
          + value.length + " bytes, over the " + maxMessageBytes + "-byte limit of topic " + topic);
    }
    producer.send(new ProducerRecord<>(topic, streamId.getBytes(StandardCharsets.UTF_8), value),
        (metadata, error) -> {
          if (error != null) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, error);
          }
        });
    return value.length;
  }

  /** Waits until every frame sent so far is acknowledged; fails if the broker refused any. */
  public void flush() {
    producer.flush();
    Exception failure = firstFailure.get();
    if (failure != null) {
      throw new ToolException(failures.get() + " frame(s) were not accepted by Kafka (first: "
          + failure.getMessage() + "); check the broker and the topic " + topic, failure);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  private static int topicLimit(Admin admin, String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
    try {
      while (true) {
        try {
          Config config = admin.describeConfigs(List.of(resource)).all()
              .get(30, TimeUnit.SECONDS).get(resource);
          ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
          return Integer.parseInt(entry.value());
        } catch (ExecutionException e) {
          // A topic created a moment ago may not have reached this broker's metadata yet.
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw new ToolException("Cannot read the settings of topic " + topic + ": " + e.getCause(), e);
          }
          if (System.nanoTime() > deadline) {
            throw new ToolException("Topic " + topic + " does not exist: start `./casa-stream demo`"
                + " (it creates the topics) or create it with max.message.bytes="
                + KafkaDefaults.MAX_MESSAGE_BYTES + " (README.md, Kafka settings for large frames)", e);
          }
          Thread.sleep(250);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("Interrupted while reading the settings of topic " + topic, e);
    } catch (TimeoutException e) {
      throw new ToolException("Kafka did not answer within 30 s when asked about topic " + topic, e);
    }
  }
}
