package casastream.operators.kafka;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The Flink MiniCluster of the operators' end-to-end tests: one TaskManager with two slots. */
public final class TwoSlotCluster {

  private TwoSlotCluster() {}

  public static MiniClusterExtension create() {
    return create(new Configuration());
  }

  /** With extra cluster configuration, e.g. a metrics reporter. */
  public static MiniClusterExtension create(Configuration configuration) {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setConfiguration(configuration)
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(2)
        .build());
  }
}
