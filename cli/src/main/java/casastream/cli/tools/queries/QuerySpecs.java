package casastream.cli.tools.queries;

import casastream.schemas.AllStreams;
import casastream.schemas.AnswerMode;
import casastream.schemas.EveryInterval;
import casastream.schemas.OnChange;
import casastream.schemas.QueryAction;
import casastream.schemas.StandingQuery;
import casastream.schemas.StreamIdList;
import casastream.schemas.StreamIdPrefix;
import java.util.List;

/** Builds standing queries from what a user types, and describes them back in one line. */
public final class QuerySpecs {

  private QuerySpecs() {}

  /**
   * @param streams stream ids; one ending in {@code *} is a prefix; empty for every stream
   * @param everySeconds 0 to emit on change, else at most once per that many seconds per stream
   */
  public static StandingQuery upsert(String queryId, String question, AnswerMode mode,
      List<String> streams, int everySeconds) {
    Object selector = selector(streams);
    StandingQuery query = StandingQuery.newBuilder()
        .setQueryId(queryId)
        .setAction(QueryAction.UPSERT)
        .setStreams(selector)
        .setQuestion(question)
        .setAnswerMode(mode)
        .setEmitPolicy(everySeconds == 0 ? new OnChange() : new EveryInterval(everySeconds))
        .build();
    requireValid(query);
    return query;
  }

  static void requireValid(StandingQuery query) {
    if (query.getQueryId() == null || query.getQueryId().isBlank()) {
      throw new IllegalArgumentException("The query id is empty: give a short name, e.g. bay-occupied");
    }
    if (query.getQuestion() == null || query.getQuestion().isBlank()) {
      throw new IllegalArgumentException("The question is empty: give it in words, e.g. \"is there a red circle ?\"");
    }
    if (query.getEmitPolicy() instanceof EveryInterval every && every.getSeconds() <= 0) {
      throw new IllegalArgumentException("--every must be 1 second or more, was " + every.getSeconds());
    }
  }

  /** {@code bay  YES_NO  on change  streams cam-1,cam-2  "is there a red circle ?"} */
  public static String describe(StandingQuery query) {
    String policy = query.getEmitPolicy() instanceof EveryInterval every
        ? "every " + every.getSeconds() + "s" : "on change";
    return query.getQueryId() + "  " + query.getAnswerMode() + "  " + policy + "  "
        + describeStreams(query.getStreams()) + "  \"" + query.getQuestion() + "\"";
  }

  private static Object selector(List<String> streams) {
    if (streams.isEmpty()) {
      return new AllStreams();
    }
    if (streams.size() == 1 && streams.get(0).endsWith("*")) {
      String prefix = streams.get(0).substring(0, streams.get(0).length() - 1);
      if (prefix.isEmpty()) {
        return new AllStreams();
      }
      return new StreamIdPrefix(prefix);
    }
    for (String id : streams) {
      if (id.isBlank() || id.endsWith("*")) {
        throw new IllegalArgumentException("Stream selector " + id + " is not valid here: give exact"
            + " stream ids, or one prefix ending in * (e.g. --streams dock-*)");
      }
    }
    return new StreamIdList(List.copyOf(streams));
  }

  private static String describeStreams(Object selector) {
    if (selector instanceof StreamIdList list) {
      return "streams " + String.join(",", list.getStreamIds());
    }
    if (selector instanceof StreamIdPrefix prefix) {
      return "streams " + prefix.getPrefix() + "*";
    }
    return "all streams";
  }
}
