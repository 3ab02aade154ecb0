package casastream.cli.embedded;

import casastream.operators.inference.StreamStateStorage;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The Flink configuration of the embedded MiniCluster: the settings of flink-conf/config.yaml that
 * matter on one machine (RocksDB keyed state, incremental checkpoints, a bounded restart
 * strategy), the dashboard's port, and the in-JVM reporter of the job's counters. Every listener
 * (dashboard and REST, RPC, blobs) binds to one address, localhost unless the user opens it.
 */
public final class DemoCluster {

  private DemoCluster() {}

  /**
   * @param webPort the dashboard and REST port (0 picks a free one)
   * @param bind the address every listener binds to
   * @param work a directory for checkpoints, deleted by the caller
   */
  public static Configuration configuration(int webPort, String bind, Path work) {
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, webPort);
    conf.set(RestOptions.BIND_ADDRESS, bind);
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(JobManagerOptions.ADDRESS, "localhost");
    conf.set(JobManagerOptions.BIND_HOST, bind);
    conf.set(TaskManagerOptions.HOST, "localhost");
    conf.set(TaskManagerOptions.BIND_HOST, bind);
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
