package casastream.operators.queries;

import casastream.schemas.AnswerMode;
import casastream.schemas.StandingQuery;

/**
 * A standing question as the inference operator uses it: asked of every frame of the streams it
 * selects, until removed.
 *
 * @param yesNo whether the answer is yes/no, so that a change of answer raises an ALERT
 */
public record StandingQuestion(
    String queryId, String question, StreamSelector streams, boolean yesNo, EmitPolicy emitPolicy) {

  public StandingQuestion {
    if (queryId == null || queryId.isEmpty()) {
      throw new IllegalArgumentException("A standing query needs a non-empty queryId");
    }
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("Standing query '" + queryId + "' has an empty question");
    }
  }

  /** Reads an UPSERT {@link StandingQuery}; throws IllegalArgumentException naming what is wrong. */
  public static StandingQuestion fromAvro(StandingQuery query) {
    return new StandingQuestion(
        query.getQueryId(),
        query.getQuestion(),
        StreamSelector.fromAvro(query.getStreams()),
        query.getAnswerMode() == AnswerMode.YES_NO,
        EmitPolicy.fromAvro(query.getEmitPolicy()));
  }

  public boolean appliesTo(String streamId) {
    return streams.selects(streamId);
  }
}
