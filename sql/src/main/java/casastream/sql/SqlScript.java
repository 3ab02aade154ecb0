package casastream.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into its statements at the semicolons that end them: not those inside
 * 'strings', `identifiers`, "identifiers", -- line comments or block comments. Comments are kept
 * with their statement (Flink's parser skips them); empty statements are dropped.
 */
public final class SqlScript {

  private SqlScript() {}

  /** The statements of the script, in order, without their semicolons. */
  public static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '`' || c == '"') {
        int end = quoted(script, i, c);
        current.append(script, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("A /* comment */ is not closed (it starts at line " + line(script, i) + ")");
        }
        current.append(script, i, end + 2);
        i = end + 2;
      } else if (c == ';') {
        add(statements, current);
        current.setLength(0);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return statements;
  }

  /** The index just past the quoted text starting at {@code start}; a doubled quote stays inside. */
  private static int quoted(String script, int start, char quote) {
    int i = start + 1;
    while (i < script.length()) {
      if (script.charAt(i) == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("A " + quote + "quoted" + quote + " text is not closed (it starts at line "
        + line(script, start) + ")");
  }

  private static void add(List<String> statements, StringBuilder statement) {
    String text = statement.toString().strip();
    if (!onlyComments(text)) {
      statements.add(text);
    }
  }

  private static boolean onlyComments(String text) {
    return withoutComments(text).isBlank();
  }

  /** A statement of {@link #statements} with its comments blanked out. */
  public static String withoutComments(String statement) {
    return statement.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
  }

  private static int line(String script, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (script.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
