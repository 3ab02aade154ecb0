package casastream.operators.queries;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The standing questions in force, ordered by query id so that every subtask and every replay asks
 * a stream's questions in the same order. Mirrors the operator's broadcast state, which stays the
 * source of truth across checkpoints.
 */
public final class StandingQuestions {

  private final Map<String, StandingQuestion> byId = new TreeMap<>();

  public void put(StandingQuestion question) {
    byId.put(question.queryId(), question);
  }

  /** Returns whether a question with that id was in force. */
  public boolean remove(String queryId) {
    return byId.remove(queryId) != null;
  }

  public void replaceAll(Collection<StandingQuestion> questions) {
    byId.clear();
    questions.forEach(this::put);
  }

  /** The questions that apply to {@code streamId}, ordered by query id. */
  public List<StandingQuestion> forStream(String streamId) {
    List<StandingQuestion> selected = new ArrayList<>();
    for (StandingQuestion question : byId.values()) {
      if (question.appliesTo(streamId)) {
        selected.add(question);
      }
    }
    return selected;
  }

  public int size() {
    return byId.size();
  }
}
