package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.testkit.ListeningSockets;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MissingBrokerTest {

  @ParameterizedTest
  @ValueSource(strings = {"tail", "queries list", "produce --synthetic 1 --frames 1", "wall --port 0",
      "clip some-event --out target/clip-without-broker", "sql -e SELECT"})
  void aToolWithNoBrokerPrintsOneLineSayingHowToStartOneAndFails(String command) throws IOException {
    String bootstrap = "localhost:" + unusedPort();
    String[] args = (command + " --bootstrap " + bootstrap).split(" ");

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("No Kafka broker reachable at " + bootstrap)
        .contains("./casa-stream demo")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private static int unusedPort() throws IOException {
    return ListeningSockets.freePort();
  }
}
