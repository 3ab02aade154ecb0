package casastream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.operators.queries.EmitPolicy;
import casastream.operators.queries.StandingQuestion;
import casastream.operators.queries.StreamSelector;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventComposerTest {

  private static final StandingQuestion BAY =
      new StandingQuestion("bay", "is anyone in the bay?", new StreamSelector.All(), true, EmitPolicy.onChange());
  private static final StandingQuestion COLOUR = new StandingQuestion(
      "colour", "what colour is it?", new StreamSelector.All(), false, EmitPolicy.every(Duration.ofSeconds(10)));

  private final StreamState state = StreamState.fresh("m1");
  private final List<EmittedText> out = new ArrayList<>();

  private void frame(EventComposer composer, long sequence, String caption, List<StandingQuestion> questions, String... answers) {
    EventComposer.FrameInfo info = new EventComposer.FrameInfo("cam-1", sequence, sequence * 1000, 0);
    out.addAll(composer.compose(info, questions, new StreamResult(caption, List.of(), List.of(answers), new byte[1]), state, 5));
  }

  private List<String> texts(TextEventKind kind) {
    return out.stream().filter(e -> e.kind == kind).map(e -> e.frameSequence + ":" + e.text).toList();
  }

  @Test
  void emitsACaptionOnlyWhenItChangesUnderOnChange() {
    EventComposer composer = new EventComposer(EmitPolicy.onChange(), "m1");
    frame(composer, 0, "a red square", List.of());
    frame(composer, 1, "a red square", List.of());
    frame(composer, 2, "a blue circle", List.of());
    frame(composer, 3, "a red square", List.of());

    assertThat(texts(TextEventKind.CAPTION)).containsExactly("0:a red square", "2:a blue circle", "3:a red square");
  }

  @Test
  void emitsACaptionAtMostOncePerIntervalOfCaptureTime() {
    EventComposer composer = new EventComposer(EmitPolicy.every(Duration.ofSeconds(3)), "m1");
    for (int i = 0; i < 7; i++) {
      frame(composer, i, "caption " + i, List.of());
    }
    assertThat(texts(TextEventKind.CAPTION)).containsExactly("0:caption 0", "3:caption 3", "6:caption 6");
  }

  @Test
  void appendsTheFramesEventsToItsCaption() {
    EventComposer composer = new EventComposer(EmitPolicy.everyFrame(), "m1");
    EventComposer.FrameInfo info = new EventComposer.FrameInfo("cam-1", 0, 0, 0);
    out.addAll(composer.compose(info, List.of(),
        new StreamResult("a red square", List.of("the red square entered ; the blue circle left"), List.of(),
            new byte[1]), state, 0));
    assertThat(texts(TextEventKind.CAPTION))
        .containsExactly("0:a red square. the red square entered ; the blue circle left");
  }

  @Test
  void raisesAnAlertWhenAYesNoAnswerFlipsAndEmitsAnswersByTheirOwnPolicy() {
    EventComposer composer = new EventComposer(EmitPolicy.onChange(), "m1");
    List<StandingQuestion> questions = List.of(BAY, COLOUR);
    frame(composer, 0, "c", questions, "no", "red");
    frame(composer, 1, "c", questions, "no", "red");
    frame(composer, 2, "c", questions, "yes", "red");
    frame(composer, 12, "c", questions, "Yes", "blue");

    assertThat(texts(TextEventKind.ANSWER)).containsExactly("0:no", "0:red", "2:yes", "12:Yes", "12:blue");
    assertThat(texts(TextEventKind.ALERT)).containsExactly("2:yes");
  }

  private void kafkaFrame(EventComposer composer, long sequence, long offset, List<StandingQuestion> questions,
      String... answers) {
    EventComposer.FrameInfo info =
        new EventComposer.FrameInfo("cam-1", sequence, sequence * 1000, 0, "frames", 3, offset);
    out.addAll(composer.compose(info, questions, new StreamResult("c", List.of(), List.of(answers), new byte[1]), state, 5));
  }

  @Test
  void namesEachEventsFrameAndGivesAnAlertTheFramesSinceTheAnswerLastChanged() {
    EventComposer composer = new EventComposer(EmitPolicy.onChange(), "m1");
    kafkaFrame(composer, 0, 100, List.of(BAY), "no");
    kafkaFrame(composer, 1, 104, List.of(BAY), "yes");
    kafkaFrame(composer, 2, 109, List.of(BAY), "yes");
    kafkaFrame(composer, 3, 111, List.of(BAY), "yes");
    kafkaFrame(composer, 4, 120, List.of(BAY), "no");

    assertThat(out).allSatisfy(e -> {
      assertThat(e.sourceTopic).isEqualTo("frames");
      assertThat(e.sourcePartition).isEqualTo(3);
    });
    List<EmittedText> alerts = out.stream().filter(e -> e.kind == TextEventKind.ALERT).toList();
    assertThat(alerts).extracting(e -> e.sourceOffset + " from " + e.alertFirstOffset + ", " + e.alertFrames + " frames")
        .containsExactly("104 from 100, 2 frames", "120 from 104, 4 frames");
    assertThat(alerts.get(1).toTextEvent().getAlertFrames().getLastOffset()).isEqualTo(120);
    assertThat(out.stream().filter(e -> e.kind != TextEventKind.ALERT))
        .allSatisfy(e -> assertThat(e.toTextEvent().getAlertFrames()).isNull());
  }

  @Test
  void anAlertRangeReachesBackAtMostTheKeptFramesAndSaysSo() {
    EventComposer composer = new EventComposer(EmitPolicy.onChange(), "m1");
    int held = StreamState.RECENT_FRAMES + 10;
    for (int i = 0; i < held; i++) {
      kafkaFrame(composer, i, 1000 + i, List.of(BAY), "no");
    }
    kafkaFrame(composer, held, 1000 + held, List.of(BAY), "yes");

    EmittedText alert = out.stream().filter(e -> e.kind == TextEventKind.ALERT).findFirst().orElseThrow();
    assertThat(alert.alertFrames).isEqualTo(StreamState.RECENT_FRAMES);
    assertThat(alert.alertFirstOffset).isEqualTo(1000 + held - StreamState.RECENT_FRAMES + 1);
    assertThat(alert.alertTruncated).isTrue();
  }

  @Test
  void framesNotFromKafkaGiveEventsWithoutOffsets() {
    EventComposer composer = new EventComposer(EmitPolicy.onChange(), "m1");
    frame(composer, 0, "c", List.of(BAY), "no");
    frame(composer, 1, "c", List.of(BAY), "yes");

    assertThat(out).allSatisfy(e -> {
      assertThat(e.toTextEvent().getSource()).isNull();
      assertThat(e.toTextEvent().getAlertFrames()).isNull();
    });
  }

  @Test
  void givesEventsTheSharedDeterministicIds() {
    EventComposer composer = new EventComposer(EmitPolicy.everyFrame(), "m1");
    frame(composer, 7, "c", List.of(BAY), "yes");
    assertThat(out).extracting(e -> e.eventId).containsExactly(
        TextEventIds.of("cam-1", 7, TextEventKind.CAPTION, null),
        TextEventIds.of("cam-1", 7, TextEventKind.ANSWER, "bay"));
    assertThat(out).allSatisfy(e -> assertThat(e.modelId).isEqualTo("m1"));
  }

  @Test
  void forgetsAnswersOfQuestionsNoLongerAsked() {
    EventComposer composer = new EventComposer(EmitPolicy.everyFrame(), "m1");
    frame(composer, 0, "c", List.of(BAY), "yes");
    frame(composer, 1, "c", List.of());
    assertThat(state.answer("bay")).isNull();
  }

  @Test
  void refusesAResultWithTheWrongNumberOfAnswers() {
    EventComposer composer = new EventComposer(EmitPolicy.everyFrame(), "m1");
    assertThatThrownBy(() -> frame(composer, 0, "c", List.of(BAY, COLOUR), "yes"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered 1 of the 2 questions");
  }
}
