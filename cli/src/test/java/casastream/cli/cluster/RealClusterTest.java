package casastream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.embedded.EmbeddedKafka;
import casastream.testkit.ListeningSockets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests on real processes share: the embedded broker in the test's JVM, a local cluster
 * under the test's directory started with `cluster start` on free ports, the job jar the build
 * made, and the stop of everything afterwards, whatever the test left running.
 */
abstract class RealClusterTest {

  /** The job jar {@code submit} uploads, built by {@code mvn package} in jobs/ before these tests run. */
  static final Path JOB_JAR = Path.of("..", "jobs", "target", "casa-stream-flink.jar").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  EmbeddedKafka kafka;

  Path clusterDir() {
    return dir.resolve("cluster");
  }

  /** Starts the broker and a cluster of {@code taskManagers} x {@code slots}; returns the JobManager's REST address. */
  String startBrokerAndCluster(int taskManagers, int slots) throws Exception {
    assertThat(JOB_JAR).as("the job jar, built by `mvn package` in jobs/").isRegularFile();
    kafka = EmbeddedKafka.start("localhost", 0);
    int restPort = ListeningSockets.freePort();
    CliRun start = CliRun.of("cluster", "start", "--dir", clusterDir().toString(),
        "--taskmanagers", String.valueOf(taskManagers), "--slots", String.valueOf(slots),
        "--rest-port", String.valueOf(restPort), "--rpc-port", String.valueOf(ListeningSockets.freePort()));
    assertThat(start.exitCode()).as(start.err()).isZero();
    return "localhost:" + restPort;
  }

  @AfterEach
  void stopEverything() throws Exception {
    new LocalCluster(clusterDir()).stop(Duration.ofSeconds(10));
    if (kafka != null) {
      kafka.close();
    }
  }
}
