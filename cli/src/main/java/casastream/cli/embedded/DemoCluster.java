package casastream.cli.embedded;

import casastream.operators.inference.StreamStateStorage;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The Flink configuration of the embedded MiniCluster: the settings of flink-conf/config.yaml that
 * matter on one machine (RocksDB keyed state, incremental checkpoints, a bounded restart
 * strategy), the dashboard's port, and the in-JVM reporter of the job's counters.
 */
final class DemoCluster {

  private DemoCluster() {}

  /**
   * @param webPort the dashboard and REST port (0 picks a free one)
   * @param work a directory for checkpoints, deleted by the caller
   */
  static Configuration configuration(int webPort, Path work) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, webPort);
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    StreamStateStorage.applyTo(conf);
    // A demo that cannot run should say so, not restart forever.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    conf.setString("metrics.reporter." + JobCounters.REPORTER_NAME + ".factory.class",
        JobCounters.Factory.class.getName());
    return conf;
  }
}
