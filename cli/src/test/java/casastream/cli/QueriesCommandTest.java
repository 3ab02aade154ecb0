package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.queries.StandingQueryClient;
import casastream.operators.kafka.Topics;
import casastream.schemas.AnswerMode;
import casastream.schemas.EveryInterval;
import casastream.schemas.StandingQuery;
import casastream.schemas.StreamIdList;
import casastream.schemas.StreamIdPrefix;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueriesCommandTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start("localhost", 0);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void addedQueriesAreListedAndTheLastMessagePerIdWins() {
    String bootstrap = kafka.bootstrapServers();
    assertThat(CliRun.of("queries", "add", "red", "is there a red circle ?", "--bootstrap", bootstrap).exitCode()).isZero();
    assertThat(CliRun.of("queries", "add", "dock", "what is there ?", "--mode", "caption",
        "--streams", "dock-*", "--every", "30", "--bootstrap", bootstrap).exitCode()).isZero();
    CliRun replaced = CliRun.of("queries", "add", "red", "is there a red square ?",
        "--streams", "cam-1,cam-2", "--bootstrap", bootstrap);
    assertThat(replaced.exitCode()).isZero();
    assertThat(replaced.out()).contains("added  red  YES_NO  on change  streams cam-1,cam-2");

    List<StandingQuery> active = new StandingQueryClient(new KafkaAccess(bootstrap), Topics.QUERIES).list();
    assertThat(active).extracting(StandingQuery::getQueryId).containsExactly("dock", "red");
    StandingQuery dock = active.get(0);
    assertThat(dock.getAnswerMode()).isEqualTo(AnswerMode.CAPTION);
    assertThat(dock.getStreams()).isEqualTo(new StreamIdPrefix("dock-"));
    assertThat(dock.getEmitPolicy()).isEqualTo(new EveryInterval(30));
    StandingQuery red = active.get(1);
    assertThat(red.getQuestion()).isEqualTo("is there a red square ?");
    assertThat(red.getStreams()).isEqualTo(new StreamIdList(List.of("cam-1", "cam-2")));

    CliRun list = CliRun.of("queries", "list", "--bootstrap", bootstrap);
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains("dock  CAPTION  every 30s  streams dock-*  \"what is there ?\"")
        .contains("red  YES_NO  on change");
  }

  @Test
  void removedQueriesDisappearAndRemovingAnUnknownIdIsAnError() {
    String bootstrap = kafka.bootstrapServers();
    assertThat(CliRun.of("queries", "add", "gone", "is there a circle ?", "--bootstrap", bootstrap).exitCode()).isZero();
    CliRun removed = CliRun.of("queries", "remove", "gone", "--bootstrap", bootstrap);
    assertThat(removed.exitCode()).isZero();
    assertThat(removed.out()).contains("removed  gone");
    assertThat(CliRun.of("queries", "list", "--bootstrap", bootstrap).out()).doesNotContain("gone");

    CliRun unknown = CliRun.of("queries", "remove", "gone", "--bootstrap", bootstrap);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no active query gone");
  }

  @Test
  void anEmptyQuestionIsAUsageErrorThatSaysWhatToGive() {
    CliRun run = CliRun.of("queries", "add", "q", " ", "--bootstrap", kafka.bootstrapServers());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("The question is empty");
  }
}
