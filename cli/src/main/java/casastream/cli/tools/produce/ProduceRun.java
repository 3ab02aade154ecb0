package casastream.cli.tools.produce;

import casastream.schemas.FrameEncoding;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Publishes many streams at once from one thread: each stream's pictures are due at its start plus
 * their media time, and the stream whose next picture is due first goes next. Paced, pictures go
 * out in real time (a 2 fps stream sends one every 500 ms); unpaced, as fast as Kafka takes them.
 * A picture that does not fit under the size limit is refused, reported, and the stream carries on.
 */
public final class ProduceRun {

  /**
   * One stream to publish.
   *
   * @param streamId the Kafka key and Frame stream id
   * @param source its pictures, at the target frame rate
   * @param encoding how its pictures are encoded first (PNG keeps synthetic frames exact)
   */
  public record StreamInput(String streamId, FrameSource source, FrameEncoding encoding) {}

  /** Told about every picture as it is sent or refused (e.g. a progress bar or a status line). */
  public interface Listener {
    void sent(String streamId, long sequence, int messageBytes);

    void refused(String streamId, long sequence, String why);
  }

  /** What a run did: frames sent and refused per stream, in input order. */
  public record Summary(Map<String, Long> sent, Map<String, Long> refused, Duration elapsed) {
    public long totalSent() {
      return sent.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalRefused() {
      return refused.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final FramePublisher publisher;
  private final List<StreamInput> inputs;
  private final boolean paced;
  private final boolean reencode;
  private final Listener listener;
  private final Clock clock;

  public ProduceRun(FramePublisher publisher, List<StreamInput> inputs, boolean paced,
      boolean reencode, Listener listener) {
    this(publisher, inputs, paced, reencode, listener, Clock.systemUTC());
  }

  ProduceRun(FramePublisher publisher, List<StreamInput> inputs, boolean paced, boolean reencode,
      Listener listener, Clock clock) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Nothing to produce: give at least one stream");
    }
    long distinct = inputs.stream().map(StreamInput::streamId).distinct().count();
    if (distinct != inputs.size()) {
      throw new IllegalArgumentException("Two inputs share a stream id: give each its own");
    }
    this.publisher = publisher;
    this.inputs = List.copyOf(inputs);
    this.paced = paced;
    this.reencode = reencode;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Publishes until every source is exhausted, {@code limit} has passed (zero: no limit) or
   * {@code stop} says so; then waits for Kafka to acknowledge everything sent.
   */
  public Summary run(Duration limit, BooleanSupplier stop) throws InterruptedException {
    long start = clock.millis();
    long end = limit.isZero() ? Long.MAX_VALUE : start + limit.toMillis();
    Map<String, Long> sent = new LinkedHashMap<>();
    Map<String, Long> refused = new LinkedHashMap<>();
    PriorityQueue<Cursor> due = new PriorityQueue<>(Comparator.comparingLong(Cursor::dueMillis));
    List<Cursor> cursors = new ArrayList<>();
    for (StreamInput input : inputs) {
      sent.put(input.streamId(), 0L);
      refused.put(input.streamId(), 0L);
      Cursor cursor = new Cursor(input, new FrameEncoder(input.encoding(), publisher.maxImageBytes(), reencode), start);
      cursors.add(cursor);
      if (cursor.advance()) {
        due.add(cursor);
      }
    }
    try {
      while (!due.isEmpty() && !stop.getAsBoolean() && clock.millis() < end) {
        Cursor cursor = due.poll();
        if (paced && !sleepUntil(Math.min(cursor.dueMillis(), end), stop)) {
          break;
        }
        if (clock.millis() >= end) {
          break;
        }
        send(cursor, sent, refused);
        if (cursor.advance()) {
          due.add(cursor);
        }
      }
      publisher.flush();
    } finally {
      cursors.forEach(c -> c.input.source().close());
    }
    return new Summary(sent, refused, Duration.ofMillis(clock.millis() - start));
  }

  private void send(Cursor cursor, Map<String, Long> sent, Map<String, Long> refused) {
    String streamId = cursor.input.streamId();
    long sequence = cursor.sequence++;
    try {
      FrameEncoder.Encoded encoded = cursor.encoder.encode(cursor.next.image());
      int bytes = publisher.publish(streamId, sequence, clock.instant(), encoded);
      sent.merge(streamId, 1L, Long::sum);
      listener.sent(streamId, sequence, bytes);
    } catch (FrameTooLargeException e) {
      refused.merge(streamId, 1L, Long::sum);
      listener.refused(streamId, sequence, e.getMessage());
    }
  }

  /** Sleeps in short steps so that a stop request is seen quickly; false when stopped. */
  private boolean sleepUntil(long wallMillis, BooleanSupplier stop) throws InterruptedException {
    while (clock.millis() < wallMillis) {
      if (stop.getAsBoolean()) {
        return false;
      }
      Thread.sleep(Math.min(50, wallMillis - clock.millis()));
    }
    return !stop.getAsBoolean();
  }

  /** A stream's position: its next picture, when it is due, the sequence it will get. */
  private static final class Cursor {
    private final StreamInput input;
    private final FrameEncoder encoder;
    private final long startMillis;
    private SourceImage next;
    private long sequence;

    Cursor(StreamInput input, FrameEncoder encoder, long startMillis) {
      this.input = input;
      this.encoder = encoder;
      this.startMillis = startMillis;
    }

    boolean advance() {
      Optional<SourceImage> image = input.source().next();
      next = image.orElse(null);
      return next != null;
    }

    long dueMillis() {
      return startMillis + next.mediaMillis();
    }
  }
}
