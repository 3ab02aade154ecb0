package casastream.operators.inference;

import casastream.operators.queries.EmitPolicy;
import casastream.operators.queries.StandingQuestion;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns what the model wrote for one frame into the text events to publish, so that Kafka gets
 * news rather than a copy of every frame: the caption by the caption policy, each answer by its
 * question's policy, and an ALERT whenever a yes/no answer flips. Records what was emitted in the
 * stream's state. Event ids are deterministic, so a replay produces the same ids.
 */
public final class EventComposer {

  private final EmitPolicy captionPolicy;
  private final String modelId;

  public EventComposer(EmitPolicy captionPolicy, String modelId) {
    this.captionPolicy = captionPolicy;
    this.modelId = modelId;
  }

  /** The processed frame, as the events need to describe it. */
  public record FrameInfo(String streamId, long sequence, long captureMillis, long arrivalMillis) {}

  /**
   * @param questions the questions asked of this frame, in the order of {@code result.answers()}
   * @param nowMillis processing time, for emitTime and the latency field
   */
  public List<EmittedText> compose(
      FrameInfo frame, List<StandingQuestion> questions, StreamResult result, StreamState state, long nowMillis) {
    if (result.answers().size() != questions.size()) {
      throw new IllegalStateException(
          "The model answered " + result.answers().size() + " of the " + questions.size()
              + " questions asked for stream " + frame.streamId() + ": the model's step is broken");
    }
    List<EmittedText> events = new ArrayList<>(1 + 2 * questions.size());
    String caption = result.captionWithEvents();
    if (captionPolicy.shouldEmit(
        state.lastEmittedCaption, state.lastCaptionEmitMillis, caption, frame.captureMillis())) {
      events.add(event(frame, TextEventKind.CAPTION, caption, null, nowMillis));
      state.lastEmittedCaption = caption;
      state.lastCaptionEmitMillis = frame.captureMillis();
    }
    Set<String> asked = new HashSet<>();
    for (int i = 0; i < questions.size(); i++) {
      StandingQuestion question = questions.get(i);
      String answer = result.answers().get(i);
      asked.add(question.queryId());
      StreamState.Answer previous = state.answers.get(question.queryId());
      String lastAnswer = previous == null ? null : previous.lastAnswer();
      String lastEmitted = previous == null ? null : previous.lastEmitted();
      long lastEmitMillis = previous == null ? 0 : previous.lastEmitMillis();
      if (question.emitPolicy().shouldEmit(lastEmitted, lastEmitMillis, answer, frame.captureMillis())) {
        events.add(event(frame, TextEventKind.ANSWER, answer, question.queryId(), nowMillis));
        lastEmitted = answer;
        lastEmitMillis = frame.captureMillis();
      }
      if (question.yesNo() && lastAnswer != null && !normalise(lastAnswer).equals(normalise(answer))) {
        events.add(event(frame, TextEventKind.ALERT, answer, question.queryId(), nowMillis));
      }
      state.answers.put(question.queryId(), new StreamState.Answer(answer, lastEmitted, lastEmitMillis));
    }
    state.retainAnswers(asked);
    return events;
  }

  private static String normalise(String answer) {
    return answer.trim().toLowerCase(Locale.ROOT);
  }

  private EmittedText event(FrameInfo frame, TextEventKind kind, String text, String queryId, long nowMillis) {
    EmittedText event = new EmittedText();
    event.eventId = TextEventIds.of(frame.streamId(), frame.sequence(), kind, queryId);
    event.streamId = frame.streamId();
    event.frameSequence = frame.sequence();
    event.captureTimeMillis = frame.captureMillis();
    event.emitTimeMillis = nowMillis;
    event.kind = kind;
    event.text = text;
    event.queryId = queryId;
    event.modelId = modelId;
    event.processingLatencyMillis = Math.max(0, nowMillis - frame.arrivalMillis());
    return event;
  }
}
