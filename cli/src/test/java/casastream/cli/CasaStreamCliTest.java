package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CasaStreamCliTest {

  @Test
  void helpListsTheSubcommandsAndExitsZero() {
    String out = captureStdout(() -> assertThat(CasaStreamCli.execute("--help")).isZero());
    assertThat(out).contains("Usage: casa-stream").contains("Commands:").contains("help");
  }

  @Test
  void unknownSubcommandIsAUsageErrorThatNamesIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(CasaStreamCli.execute("no-such-command")).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-command");
  }

  private static String captureStdout(Runnable body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
