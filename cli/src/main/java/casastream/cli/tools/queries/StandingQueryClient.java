package casastream.cli.tools.queries;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.cli.tools.TopicScan;
import casastream.schemas.AllStreams;
import casastream.schemas.AnswerMode;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.OnChange;
import casastream.schemas.QueryAction;
import casastream.schemas.StandingQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Manages the standing questions on the control topic (key = query id): adding one is an UPSERT
 * message, removing one a REMOVE message, and the current set is what the topic says when read
 * from the beginning, the last message per id winning. The running job picks changes up without a
 * restart.
 */
public final class StandingQueryClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final KafkaAccess kafka;
  private final String topic;
  private final AvroCodec<StandingQuery> codec = AvroCodec.standingQueries();

  public StandingQueryClient(KafkaAccess kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  /** Adds the query, or replaces the one with the same id. */
  public void add(StandingQuery query) {
    if (query.getAction() != QueryAction.UPSERT) {
      throw new IllegalArgumentException("add() takes an UPSERT query, got " + query.getAction());
    }
    QuerySpecs.requireValid(query);
    send(query);
  }

  /**
   * Removes the query with this id.
   *
   * @return false when no such query was active (nothing is sent then)
   */
  public boolean remove(String queryId) {
    if (list().stream().noneMatch(q -> q.getQueryId().equals(queryId))) {
      return false;
    }
    send(StandingQuery.newBuilder()
        .setQueryId(queryId)
        .setAction(QueryAction.REMOVE)
        .setStreams(new AllStreams())
        .setQuestion("")
        .setAnswerMode(AnswerMode.YES_NO)
        .setEmitPolicy(new OnChange())
        .build());
    return true;
  }

  /** The active queries, in the order they were first added. */
  public List<StandingQuery> list() {
    kafka.requireReachable();
    Map<String, StandingQuery> active = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedConsumer()) {
      TopicScan.toEnd(consumer, TopicScan.partitions(consumer, topic), record -> apply(active, record));
    }
    return new ArrayList<>(active.values());
  }

  /**
   * Applies one message of the control topic to the active set (keyed by query id, in the order
   * first added): an UPSERT adds or replaces, a REMOVE or a tombstone removes.
   */
  public void apply(Map<String, StandingQuery> active, ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      if (record.key() != null) {
        active.remove(new String(record.key(), StandardCharsets.UTF_8));
      }
      return;
    }
    try {
      StandingQuery query = codec.decode(record.value());
      if (query.getAction() == QueryAction.REMOVE) {
        active.remove(query.getQueryId());
      } else {
        active.remove(query.getQueryId());
        active.put(query.getQueryId(), query);
      }
    } catch (DecodeException e) {
      System.err.println("casa-stream: skipping " + topic + "-" + record.partition() + "@"
          + record.offset() + ": " + e.getMessage());
    }
  }

  private void send(StandingQuery query) {
    kafka.requireReachable();
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      producer.send(new ProducerRecord<>(topic, query.getQueryId().getBytes(StandardCharsets.UTF_8),
          codec.encode(query))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("Interrupted while sending query " + query.getQueryId(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ToolException("Kafka did not accept query " + query.getQueryId() + " on topic "
          + topic + ": " + (e.getCause() == null ? e : e.getCause().getMessage()), e);
    }
  }
}
