package casastream.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void splitsAtTheSemicolonsThatEndStatementsOnly() {
    String script = """
        -- captions of one camera; the first statement
        CREATE TEMPORARY VIEW v AS SELECT 'a;b' AS s, `we;ird` FROM t;
        /* a block; comment */
        SELECT "x;y", 'it''s; fine' FROM v ;

        ;  -- nothing here; really
        SELECT 1""";

    assertThat(SqlScript.statements(script)).containsExactly(
        "-- captions of one camera; the first statement\nCREATE TEMPORARY VIEW v AS SELECT 'a;b' AS s, `we;ird` FROM t",
        "/* a block; comment */\nSELECT \"x;y\", 'it''s; fine' FROM v",
        "-- nothing here; really\nSELECT 1");
  }

  @Test
  void anUnclosedQuoteOrCommentIsAClearError() {
    assertThatThrownBy(() -> SqlScript.statements("SELECT 1;\nSELECT 'oops"))
        .hasMessageContaining("not closed").hasMessageContaining("line 2");
    assertThatThrownBy(() -> SqlScript.statements("/* never ends"))
        .hasMessageContaining("comment */ is not closed");
  }
}
