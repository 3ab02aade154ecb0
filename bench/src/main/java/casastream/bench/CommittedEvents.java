package casastream.bench;

import casastream.schemas.AvroCodec;
import casastream.schemas.TextEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's text events as a downstream consumer sees them (read_committed: only what a
 * completed checkpoint committed) on its own thread, noting for each event when it became readable
 * and how long after its frame's capture that was. Events are counted by their distinct event ids
 * (deterministic per frame, kind and query): an event committed twice counts once, as a duplicate.
 */
final class CommittedEvents implements AutoCloseable {

  /** One committed event: its frame's capture time, when the operator emitted it, when the consumer received it. */
  record Seen(long captureMillis, long emitMillis, long receivedMillis) {
    long latencyMillis() {
      return receivedMillis - captureMillis;
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Seen> seen = new ArrayList<>();
  private final Set<String> eventIds = new HashSet<>();
  private final Map<String, String> texts = new HashMap<>();
  private long duplicates;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  CommittedEvents(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + topic);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    thread = new Thread(this::poll, "bench-committed-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          TextEvent event = AvroCodec.textEvents().decode(record.value());
          synchronized (seen) {
            if (eventIds.add(event.getEventId())) {
              seen.add(new Seen(event.getCaptureTime().toEpochMilli(), event.getEmitTime().toEpochMilli(), now));
              texts.put(textKey(event.getStreamId(), event.getFrameSequence(), event.getKind().name(),
                  event.getQueryId()), event.getText());
            } else {
              duplicates++;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (Exception e) {
      failure = new IllegalStateException("a committed text event could not be read: " + e.getMessage(), e);
    }
  }

  /** Distinct events committed so far. */
  int count() {
    rethrow();
    synchronized (seen) {
      return seen.size();
    }
  }

  /** Committed events whose event id had been committed before: zero where the sink is exactly once. */
  long duplicates() {
    rethrow();
    synchronized (seen) {
      return duplicates;
    }
  }

  /** The distinct events committed so far, each as first seen. */
  List<Seen> snapshot() {
    rethrow();
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }

  /**
   * {over all of them, over the second half} the events seen so far per second of their emit times:
   * how fast the operator wrote them, the second half past a run's start (JIT, model load).
   */
  double[] emitRates() {
    long[] emitted = snapshot().stream().mapToLong(Seen::emitMillis).sorted().toArray();
    if (emitted.length < 2) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double all = (emitted.length - 1) / Math.max(1e-3, (emitted[emitted.length - 1] - emitted[0]) / 1000.0);
    int half = emitted.length / 2;
    double steady = (emitted.length - 1 - half)
        / Math.max(1e-3, (emitted[emitted.length - 1] - emitted[half]) / 1000.0);
    return new double[] {all, steady};
  }

  /**
   * The text of every distinct event so far, by {@link #textKey}: what two paths wrote for the same
   * frames can be compared.
   */
  Map<String, String> texts() {
    rethrow();
    synchronized (seen) {
      return new HashMap<>(texts);
    }
  }

  /** Names one event of one frame: stream, frame sequence, kind and question. */
  static String textKey(String streamId, long frameSequence, String kind, String queryId) {
    return streamId + "/" + frameSequence + "/" + kind + (queryId == null ? "" : "/" + queryId);
  }

  /**
   * The events of frames captured from {@code startMillis} to {@code endMillis} (a load window): how
   * many, and the 50th and 99th percentile of their capture-to-commit latency (NaN when none came).
   */
  Window window(long startMillis, long endMillis) {
    List<Seen> inside = new ArrayList<>();
    for (Seen one : snapshot()) {
      if (one.captureMillis() >= startMillis && one.captureMillis() <= endMillis) {
        inside.add(one);
      }
    }
    double[] latencies = inside.stream().mapToDouble(Seen::latencyMillis).toArray();
    return new Window(inside.size(), latencies.length == 0 ? Double.NaN : Timing.percentile(latencies, 50),
        latencies.length == 0 ? Double.NaN : Timing.percentile(latencies, 99),
        inside.size() / ((endMillis - startMillis) / 1000.0));
  }

  /** What {@link #window} found: events, latency percentiles in ms, and events per second of the window. */
  record Window(int count, double p50Millis, double p99Millis, double perSecond) {}

  /** Waits until {@code expected} events were seen or {@code timeout} passed; returns the count. */
  int awaitCount(int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return count();
  }

  /**
   * Waits until {@code expected} events were seen, the timeout passes, or, once events have started
   * to come, no new one came for {@code quiet}: frames the job drops (too old) never come, and there
   * is no point waiting for them. Before the first new event only the timeout counts (a job that is
   * still loading its model is silent, not done).
   */
  int awaitCount(int expected, Duration timeout, Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int first = count();
    int last = first;
    long lastChange = System.nanoTime();
    while (last < expected && System.nanoTime() < deadline
        && (last == first || System.nanoTime() - lastChange < quiet.toNanos())) {
      Thread.sleep(100);
      int now = count();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      }
    }
    return count();
  }

  private void rethrow() {
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5_000);
    consumer.close();
  }
}
