package casastream.bench;

import casastream.operators.kafka.KafkaDefaults;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Camera streams sent to a Kafka topic as the job's producers send them: Avro frames keyed by
 * stream id (see {@link FramePictures}), at a paced rate or all at once.
 */
final class FrameLoad implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final FramePictures pictures;
  private long bytesSent;

  FrameLoad(String bootstrapServers, int streams, int side, long seed) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // named, so that a benchmark can tell its own threads' CPU from the job's (ThreadCpu)
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-frame-load");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.pictures = new FramePictures(streams, side, seed);
  }

  /** Sends frame {@code sequence} of streams from..to-1, captured now. */
  void send(String topic, int from, int to, long sequence) {
    for (int s = from; s < to; s++) {
      byte[] value = pictures.message(s, sequence, System.currentTimeMillis());
      bytesSent += value.length;
      producer.send(new ProducerRecord<>(topic, FramePictures.streamId(s).getBytes(StandardCharsets.UTF_8), value));
    }
  }

  /**
   * Sends {@code seconds} of frames of every stream at {@code fps} frames per second each, with
   * capture time = send time. Streams are spread over each frame interval in slices, as unsynchronised
   * cameras would be.
   *
   * @return the frames sent
   */
  long sendAtRate(String topic, long firstSequence, double fps, double seconds) throws InterruptedException {
    int streams = pictures.streams();
    int slices = Math.min(streams, 20);
    long rounds = Math.round(fps * seconds);
    long start = System.nanoTime();
    for (long round = 0; round < rounds; round++) {
      for (int slice = 0; slice < slices; slice++) {
        long due = start + Math.round((round + (double) slice / slices) / fps * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        send(topic, slice * streams / slices, (slice + 1) * streams / slices, firstSequence + round);
      }
    }
    producer.flush();
    return rounds * streams;
  }

  /** Average size of the messages sent so far. */
  double meanMessageBytes(long messages) {
    return messages == 0 ? 0 : (double) bytesSent / messages;
  }

  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
