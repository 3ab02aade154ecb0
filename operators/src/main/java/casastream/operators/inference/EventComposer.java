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
 * question's policy, and an ALERT whenever a yes/no answer flips. Every event names its frame's
 * Kafka offset; an ALERT also names the offsets of the stream's frames since its answer last changed
 * (at most {@link StreamState#RECENT_FRAMES}, the latest). Records what was emitted in the stream's
 * state. Event ids are deterministic, so a replay produces the same ids.
 */
public final class EventComposer {

  private final EmitPolicy captionPolicy;
  private final String modelId;

  public EventComposer(EmitPolicy captionPolicy, String modelId) {
    this.captionPolicy = captionPolicy;
    this.modelId = modelId;
  }

  /**
   * The processed frame, as the events need to describe it.
   *
   * @param topic the Kafka topic it was read from, or null when it did not come from Kafka
   */
  public record FrameInfo(String streamId, long sequence, long captureMillis, long arrivalMillis,
      String topic, int partition, long offset) {

    /** A frame that did not come from Kafka. */
    public FrameInfo(String streamId, long sequence, long captureMillis, long arrivalMillis) {
      this(streamId, sequence, captureMillis, arrivalMillis, null, -1, -1);
    }
  }

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
    if (frame.topic() != null) {
      state.recordOffset(frame.topic(), frame.partition(), frame.offset());
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
      boolean unchanged = lastAnswer != null && normalise(lastAnswer).equals(normalise(answer));
      if (question.yesNo() && lastAnswer != null && !unchanged) {
        EmittedText alert = event(frame, TextEventKind.ALERT, answer, question.queryId(), nowMillis);
        withAlertRange(alert, state, saturatedIncrement(previous.framesHeld()));
        events.add(alert);
      }
      int framesHeld = unchanged ? saturatedIncrement(previous.framesHeld()) : 1;
      state.answers.put(question.queryId(), new StreamState.Answer(answer, lastEmitted, lastEmitMillis, framesHeld));
    }
    state.retainAnswers(asked);
    return events;
  }

  /**
   * The range of an ALERT: the frames of the previous answer's run and the flipping frame, as far
   * back as the stream's kept offsets reach.
   */
  private static void withAlertRange(EmittedText alert, StreamState state, int framesWanted) {
    if (alert.sourceTopic == null || state.recentFrames() == 0) {
      return;
    }
    int frames = Math.min(framesWanted, state.recentFrames());
    alert.alertFirstOffset = state.recentOffset(frames - 1);
    alert.alertFrames = frames;
    alert.alertTruncated = frames < framesWanted;
  }

  private static int saturatedIncrement(int count) {
    return count == Integer.MAX_VALUE ? count : count + 1;
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
    event.sourceTopic = frame.topic();
    event.sourcePartition = frame.partition();
    event.sourceOffset = frame.offset();
    return event;
  }
}
