package casastream.operators.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.schemas.AllStreams;
import casastream.schemas.AnswerMode;
import casastream.schemas.EveryInterval;
import casastream.schemas.OnChange;
import casastream.schemas.StandingQuery;
import casastream.schemas.StreamIdList;
import casastream.schemas.StreamIdPrefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandingQuestionsTest {

  private static StandingQuery.Builder query(String id, Object streams) {
    return StandingQuery.newBuilder()
        .setQueryId(id)
        .setStreams(streams)
        .setQuestion("is anyone there?")
        .setAnswerMode(AnswerMode.YES_NO)
        .setEmitPolicy(new OnChange());
  }

  @Test
  void selectsStreamsByListByPrefixOrAll() {
    StandingQuestions questions = new StandingQuestions();
    questions.put(StandingQuestion.fromAvro(query("c-all", new AllStreams()).build()));
    questions.put(StandingQuestion.fromAvro(query("b-list", new StreamIdList(List.of("dock-1", "gate"))).build()));
    questions.put(StandingQuestion.fromAvro(query("a-prefix", new StreamIdPrefix("dock-")).build()));

    assertThat(questions.forStream("dock-1")).extracting(StandingQuestion::queryId)
        .containsExactly("a-prefix", "b-list", "c-all");
    assertThat(questions.forStream("dock-2")).extracting(StandingQuestion::queryId)
        .containsExactly("a-prefix", "c-all");
    assertThat(questions.forStream("lobby")).extracting(StandingQuestion::queryId).containsExactly("c-all");
  }

  @Test
  void replacesAQuestionWithTheSameIdAndRemovesIt() {
    StandingQuestions questions = new StandingQuestions();
    questions.put(StandingQuestion.fromAvro(query("q", new AllStreams()).build()));
    questions.put(StandingQuestion.fromAvro(query("q", new AllStreams()).setQuestion("what colour?").build()));
    assertThat(questions.forStream("x")).extracting(StandingQuestion::question).containsExactly("what colour?");

    assertThat(questions.remove("q")).isTrue();
    assertThat(questions.size()).isZero();
  }

  @Test
  void readsTheEmitPolicyAndAnswerMode() {
    StandingQuestion question = StandingQuestion.fromAvro(
        query("q", new AllStreams()).setAnswerMode(AnswerMode.CAPTION).setEmitPolicy(new EveryInterval(30)).build());
    assertThat(question.yesNo()).isFalse();
    assertThat(question.emitPolicy()).isEqualTo(EmitPolicy.every(Duration.ofSeconds(30)));
  }

  @Test
  void refusesAQueryWithoutAQuestionNamingIt() {
    assertThatThrownBy(() -> StandingQuestion.fromAvro(query("q7", new AllStreams()).setQuestion(" ").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("q7");
  }

  @Test
  void emitPolicyEmitsOnChangeOrOncePerInterval() {
    assertThat(EmitPolicy.onChange().shouldEmit(null, 0, "a", 0)).isTrue();
    assertThat(EmitPolicy.onChange().shouldEmit("a", 0, "a", 99_000)).isFalse();
    assertThat(EmitPolicy.onChange().shouldEmit("a", 0, "b", 1)).isTrue();
    assertThat(EmitPolicy.every(Duration.ofSeconds(5)).shouldEmit("a", 1_000, "b", 5_999)).isFalse();
    assertThat(EmitPolicy.every(Duration.ofSeconds(5)).shouldEmit("a", 1_000, "a", 6_000)).isTrue();
    assertThat(EmitPolicy.everyFrame().shouldEmit("a", 1_000, "a", 1_000)).isTrue();
  }
}
