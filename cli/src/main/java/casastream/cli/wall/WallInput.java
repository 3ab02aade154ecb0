package casastream.cli.wall;

import casastream.cli.tools.queries.QuerySpecs;
import casastream.schemas.AnswerMode;
import casastream.schemas.StandingQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks everything the page sends before it reaches the state or Kafka: stream ids and filters as
 * the job accepts them (at most 256 UTF-8 bytes, no control characters), question ids as short
 * names, questions as one short line. A bad value is an {@link IllegalArgumentException} whose
 * message the page shows; nothing is changed then.
 */
final class WallInput {

  static final int MAX_STREAM_ID_BYTES = 256;
  static final int MAX_QUESTION_CHARS = 200;
  static final int MAX_SELECTED_STREAMS = 100;
  static final int MAX_PAGE_SIZE = 200;
  static final int MAX_PAGE = 1_000_000;
  private static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private WallInput() {}

  /** A stream id, or a prefix filter (empty: every stream; a trailing * is dropped). */
  static String filter(String value) {
    if (value == null) {
      return "";
    }
    String prefix = value.endsWith("*") ? value.substring(0, value.length() - 1) : value;
    if (!prefix.isEmpty()) {
      streamId(prefix, "filter");
    }
    return prefix;
  }

  static String streamId(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("The " + what + " is empty: give a stream id");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_STREAM_ID_BYTES) {
      throw new IllegalArgumentException("The " + what + " is longer than " + MAX_STREAM_ID_BYTES
          + " UTF-8 bytes, the longest stream id the job accepts");
    }
    if (value.chars().anyMatch(Character::isISOControl) || value.indexOf('\uFFFD') >= 0) {
      throw new IllegalArgumentException("The " + what + " contains control characters");
    }
    return value;
  }

  static String queryId(String value) {
    if (value == null || !QUERY_ID.matcher(value).matches()) {
      throw new IllegalArgumentException("A question id is 1 to 64 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit, e.g. red-circle");
    }
    return value;
  }

  static int number(String value, String what, int min, int max, int absent) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the range.
    }
    throw new IllegalArgumentException(what + " must be a whole number from " + min + " to " + max);
  }

  /** The form's question as the standing query to publish. */
  static StandingQuery question(QuestionForm form) {
    if (form == null) {
      throw new IllegalArgumentException("The body must be a JSON object with id, question, mode and streams");
    }
    String id = queryId(form.id());
    String question = form.question() == null ? "" : form.question().trim();
    if (question.isEmpty() || question.length() > MAX_QUESTION_CHARS) {
      throw new IllegalArgumentException("The question must be 1 to " + MAX_QUESTION_CHARS + " characters");
    }
    if (question.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("The question must be one line without control characters");
    }
    AnswerMode mode = switch (form.mode() == null ? "yes_no" : form.mode()) {
      case "yes_no" -> AnswerMode.YES_NO;
      case "caption" -> AnswerMode.CAPTION;
      default -> throw new IllegalArgumentException("The mode must be yes_no or caption");
    };
    List<String> streams = new ArrayList<>();
    if (form.streams() != null && !form.streams().isBlank()) {
      for (String stream : form.streams().split(",")) {
        streams.add(streamId(stream.trim(), "stream id in streams"));
      }
    }
    if (streams.size() > MAX_SELECTED_STREAMS) {
      throw new IllegalArgumentException("A question names at most " + MAX_SELECTED_STREAMS
          + " streams; use one prefix ending in * for more");
    }
    return QuerySpecs.upsert(id, question, mode, streams, 0);
  }

  /** The question form the page posts. */
  record QuestionForm(String id, String question, String mode, String streams) {}
}
