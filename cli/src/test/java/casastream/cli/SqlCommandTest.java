package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.TopicScan;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql} on the embedded MiniCluster against a real in-process broker: frames from
 * {@code produce}, text events as the job writes them, a script with the README's kinds of query
 * (one stream's captions, a question's alerts joined with a table of camera locations, counts per
 * stream), an INSERT into text_events read back by the job's codec, and a bad statement.
 */
class SqlCommandTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void brokerWithFramesAndEvents() throws Exception {
    kafka = EmbeddedKafka.start("localhost", 0);
    assertThat(CliRun.of("produce", "--synthetic", "2", "--frames", "3", "--no-pace", "--quiet",
        "--bootstrap", kafka.bootstrapServers()).exitCode()).isZero();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaAccess(kafka.bootstrapServers()).producer()) {
      TestEvents.send(producer, TestEvents.event("sim-1", 1, TextEventKind.CAPTION, "a red circle", null));
      TestEvents.send(producer, TestEvents.event("sim-1", 2, TextEventKind.CAPTION,
          "a red circle. the red circle moved left", null));
      TestEvents.send(producer, TestEvents.event("sim-2", 1, TextEventKind.CAPTION, "a blue square", null));
      TestEvents.send(producer, TestEvents.event("sim-2", 2, TextEventKind.ALERT, "yes", "red"));
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void aScriptQueriesTheTopicsAsTablesAndJoinsThemWithOthers(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("tour.sql");
    Files.writeString(script, """
        -- where each camera is
        CREATE TEMPORARY VIEW cameras AS
          SELECT * FROM (VALUES ('sim-1', 'north gate'), ('sim-2', 'loading dock')) AS t(stream_id, location);

        -- one stream's captions
        SELECT frame_sequence, text FROM text_events WHERE kind = 'CAPTION' AND stream_id = 'sim-1';

        -- a question's alerts, with where they happened
        SELECT a.stream_id, c.location, a.text AS answer
        FROM text_events AS a JOIN cameras AS c ON a.stream_id = c.stream_id
        WHERE a.kind = 'ALERT' AND a.query_id = 'red';

        SELECT stream_id, MAX(sequence) + 1 AS frames FROM frames GROUP BY stream_id;

        -- alerts per camera and minute (event time: the watermark on capture_time)
        SELECT 'minute of ' || stream_id AS camera, COUNT(*) AS alerts_in_minute
        FROM TABLE(TUMBLE(TABLE text_events, DESCRIPTOR(capture_time), INTERVAL '1' MINUTE))
        WHERE kind = 'ALERT' GROUP BY window_start, window_end, stream_id;
        """);

    CliRun run = CliRun.of("sql", "-f", script.toString(), "--bounded", "--bootstrap", kafka.bootstrapServers());

    assertThat(run.exitCode()).as(run.err()).isZero();
    String out = run.out();
    assertThat(out).contains("a red circle. the red circle moved left").doesNotContain("a blue square");
    assertThat(out).contains("loading dock").contains("yes").doesNotContain("north gate");
    assertThat(out.lines().filter(l -> l.contains("sim-1") && l.matches(".*\\|\\s+3\\s+\\|.*"))).isNotEmpty();
    assertThat(out).contains("alerts_in_minute");
    assertThat(out.lines().filter(l -> l.contains("minute of sim-2") && l.matches(".*\\|\\s+1\\s+\\|\\s*")))
        .hasSize(1);
  }

  @Test
  void anInsertIntoTextEventsIsCommittedForTheJobsConsumers() throws Exception {
    CliRun run = CliRun.of("sql", "--bounded", "--bootstrap", kafka.bootstrapServers(), "-e",
        "INSERT INTO text_events (stream_id, frame_sequence, capture_time, kind, text, model_id)"
            + " SELECT stream_id, sequence, capture_time, 'CAPTION', 'first frame of ' || stream_id, 'sql-tour'"
            + " FROM frames WHERE sequence = 0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("statement 1: writing as Flink job").contains("statement 1: done");
    List<TextEvent> written = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaAccess(kafka.bootstrapServers()).committedConsumer()) {
      TopicScan.toEnd(consumer, TopicScan.partitions(consumer, Topics.TEXT_EVENTS), record -> {
        try {
          TextEvent event = AvroCodec.textEvents().decode(record.value());
          if (event.getModelId().equals("sql-tour")) {
            written.add(event);
          }
        } catch (DecodeException e) {
          throw new AssertionError(e);
        }
      });
    }
    assertThat(written).extracting(TextEvent::getText)
        .containsExactlyInAnyOrder("first frame of sim-1", "first frame of sim-2");
    assertThat(written).allSatisfy(e -> assertThat(e.getEventId())
        .isEqualTo(TextEventIds.of(e.getStreamId(), 0, TextEventKind.CAPTION, null)));
  }

  @Test
  void casaStreamCaptionsEveryStreamsFramesFromSql() {
    CliRun run = CliRun.of("sql", "--bounded", "--bootstrap", kafka.bootstrapServers(), "-e",
        "SELECT stream_id, frame_sequence, kind, text FROM CASA_STREAM(input => TABLE frames PARTITION BY stream_id,"
            + " questions => ARRAY['is there a red circle ?']) WHERE kind = 'CAPTION'");

    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String stream : List.of("sim-1", "sim-2")) {
      assertThat(run.out().lines().filter(l -> l.contains(stream) && l.contains("CAPTION")))
          .as("captions of %s in:%n%s", stream, run.out()).isNotEmpty();
    }
  }

  @Test
  void casaStreamWritesTheSameTextsWithThePlainAndTheDraftDecoder() {
    String query = "SELECT stream_id, frame_sequence, kind, text FROM CASA_STREAM(input => TABLE frames"
        + " PARTITION BY stream_id, questions => ARRAY['is there a red circle ?'])";
    CliRun plain = CliRun.of("sql", "--bounded", "--decoder", "plain", "--bootstrap", kafka.bootstrapServers(), "-e", query);
    CliRun draft = CliRun.of("sql", "--bounded", "--decoder", "draft", "--bootstrap", kafka.bootstrapServers(), "-e", query);

    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(draft.exitCode()).as(draft.err()).isZero();
    List<String> plainRows = plain.out().lines().filter(l -> l.contains("sim-")).sorted().toList();
    assertThat(plainRows).isNotEmpty();
    assertThat(draft.out().lines().filter(l -> l.contains("sim-")).sorted().toList()).isEqualTo(plainRows);

    CliRun bad = CliRun.of("sql", "--bounded", "--decoder", "greedy", "--bootstrap", kafka.bootstrapServers(), "-e", query);
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--decoder").contains("greedy");
  }

  @Test
  void casaStreamsEventsAreWrittenToATopicOfTheirOwnExactlyOnce() throws Exception {
    CliRun run = CliRun.of("sql", "--bounded", "--bootstrap", kafka.bootstrapServers(), "-e", """
        CREATE TEMPORARY TABLE casa_events WITH ('topic' = 'casa-events') LIKE text_events;
        CREATE TEMPORARY VIEW casa AS
          SELECT event_id, stream_id, frame_sequence, capture_time, kind, text, query_id, model_id
          FROM CASA_STREAM(input => TABLE frames PARTITION BY stream_id, questions => ARRAY['is there a red circle ?']);
        INSERT INTO casa_events (event_id, stream_id, frame_sequence, capture_time, kind, text, query_id, model_id)
          SELECT * FROM casa;
        """);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<TextEvent> written = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaAccess(kafka.bootstrapServers()).committedConsumer()) {
      TopicScan.toEnd(consumer, TopicScan.partitions(consumer, "casa-events"), record -> {
        try {
          written.add(AvroCodec.textEvents().decode(record.value()));
        } catch (DecodeException e) {
          throw new AssertionError(e);
        }
      });
    }
    // the first frame of a stream always has its caption and its answer
    for (String stream : List.of("sim-1", "sim-2")) {
      assertThat(written).filteredOn(e -> e.getStreamId().equals(stream) && e.getFrameSequence() == 0)
          .extracting(TextEvent::getKind).containsExactlyInAnyOrder(TextEventKind.CAPTION, TextEventKind.ANSWER);
    }
    assertThat(written).allSatisfy(e -> assertThat(e.getEventId())
        .isEqualTo(TextEventIds.of(e.getStreamId(), e.getFrameSequence(), e.getKind(), e.getQueryId())));
    assertThat(written).extracting(TextEvent::getEventId).doesNotHaveDuplicates();
  }

  @Test
  void anInsertWithAColumnListStraightFromCasaStreamSaysToUseAView() {
    CliRun run = CliRun.of("sql", "--bounded", "--bootstrap", kafka.bootstrapServers(), "-e",
        "INSERT INTO text_events (event_id, stream_id, frame_sequence, capture_time, kind, text, model_id)"
            + " SELECT event_id, stream_id, frame_sequence, capture_time, kind, text, model_id"
            + " FROM CASA_STREAM(input => TABLE frames PARTITION BY stream_id)");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("statement 1").contains("declare its query as a view");
  }

  @Test
  void aBadStatementIsOneLineThatNamesIt() {
    CliRun run = CliRun.of("sql", "--bounded", "--bootstrap", kafka.bootstrapServers(), "-e",
        "SELECT 1; SELECT nope FROM frames");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("statement 2 (SELECT nope FROM frames)").contains("nope");
    CliRun neither = CliRun.of("sql", "--bootstrap", kafka.bootstrapServers());
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.err()).contains("-f FILE.sql or the statements with -e");
  }
}
