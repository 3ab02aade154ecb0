package casastream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class ExternalProgramTest {

  @TempDir
  Path bin;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void aProgramOnThePathIsFoundAndTheCheckRuns() throws Exception {
    Path tool = Files.createFile(bin.resolve("some-tool"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThat(ExternalProgram.require("some-tool", "the tool check", "install it",
        Map.of("PATH", "/nonexistent:" + bin, "CI", "true"), out)).isEqualTo(tool);
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMissingProgramSkipsTheCheckOnADevelopersMachine() {
    assertThatThrownBy(() -> ExternalProgram.require("some-tool", "the tool check", "apt-get install some-tool",
        Map.of("PATH", bin.toString()), out))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("some-tool program is not on the PATH (apt-get install some-tool");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .startsWith("SKIPPED the tool check: the some-tool program is not on the PATH");
  }

  @Test
  void aMissingProgramFailsTheCheckWhereCiIsTrue() {
    assertThatThrownBy(() -> ExternalProgram.require("some-tool", "the tool check", "apt-get install some-tool",
        Map.of("PATH", bin.toString(), "CI", "true"), out))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the tool check must run where CI=true");
  }

  @Test
  void aFileThatCannotBeRunIsNotTheProgram() throws Exception {
    Files.createFile(bin.resolve("some-tool"));
    assertThat(ExternalProgram.find("some-tool", bin.toString())).isEmpty();
  }
}
