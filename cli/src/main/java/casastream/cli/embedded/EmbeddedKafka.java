package casastream.cli.embedded;

import casastream.cli.tools.CasaTopics;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.operators.kafka.KafkaDefaults;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The product's embedded default Kafka: a real KRaft broker (one combined broker and controller
 * node) inside this JVM, listening for clients on a fixed address so that producers, consumers and
 * the other subcommands on this machine reach it, with the job's topics created at the frame size
 * limit. Its data lives in a temporary directory deleted on {@link #close()}.
 *
 * <p>The node keeps the kit's own listeners (on free ports) for its controller and inter-broker
 * traffic; clients get a third listener, {@code CLIENTS}, on the requested address.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CLIENT_LISTENER = "CLIENTS";

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
    this.cluster = cluster;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts the broker on {@code host:port} (port 0 picks a free one) and creates the job's topics.
   *
   * @throws ToolException when the address is taken or the broker cannot start, saying what to do
   */
  public static EmbeddedKafka start(String host, int port) {
    if (port < 0 || port > 65535) {
      throw new ToolException("Kafka port " + port + " is out of range: give 0..65535 (0 picks a free port)");
    }
    if (port != 0) {
      requireFree(host, port, host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host);
    }
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build();
    String internal = nodes.brokerListenerName().value();
    String controller = nodes.controllerListenerName().value();
    // A wildcard bind address cannot be handed to clients: advertise this machine's loopback name.
    String advertisedHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;

    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("listener.security.protocol.map",
            internal + ":PLAINTEXT," + controller + ":PLAINTEXT," + CLIENT_LISTENER + ":PLAINTEXT")
        .setConfigProp("listeners", internal + "://localhost:0," + controller + "://localhost:0,"
            + CLIENT_LISTENER + "://" + host + ":" + port)
        .setConfigProp("advertised.listeners", internal + "://localhost:0,"
            + CLIENT_LISTENER + "://" + advertisedHost + ":" + port)
        // One node: every internal topic has one replica, so transactions work.
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "1")
        .setConfigProp("min.insync.replicas", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("message.max.bytes", String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
    KafkaClusterTestKit cluster = null;
    try {
      cluster = builder.build();
      formatQuietly(cluster);
      cluster.startup();
      cluster.waitForReadyBrokers();
      int bound = cluster.brokers().values().iterator().next()
          .boundPort(ListenerName.normalised(CLIENT_LISTENER));
      EmbeddedKafka kafka = new EmbeddedKafka(cluster, advertisedHost + ":" + bound);
      try (Admin admin = new KafkaAccess(kafka.bootstrapServers).admin()) {
        CasaTopics.ensure(admin);
      }
      return kafka;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(cluster);
      throw new ToolException("Interrupted while starting the embedded Kafka broker", e);
    } catch (ToolException e) {
      closeQuietly(cluster);
      throw e;
    } catch (Exception e) {
      closeQuietly(cluster);
      if (causedBy(e, BindException.class)) {
        throw inUse(host, port, advertisedHost, e);
      }
      throw new ToolException("The embedded Kafka broker did not start on " + host + ":" + port
          + ": " + e, e);
    }
  }

  /**
   * Kafka's storage formatter prints its progress to System.out; stdout belongs to the events a
   * user asked for (--json consumers parse it), so that chatter goes to stderr.
   */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      cluster.format();
    } finally {
      System.setOut(stdout);
    }
  }

  /** Fails before the broker starts (and logs its own errors) when the address is taken. */
  private static void requireFree(String host, int port, String advertisedHost) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw inUse(host, port, advertisedHost, e);
    }
  }

  private static ToolException inUse(String host, int port, String advertisedHost, Exception cause) {
    return new ToolException("Cannot listen on " + host + ":" + port + ": the address is in use"
        + " (another Kafka or demo running?). Stop it, choose another address with"
        + " --kafka-listen HOST:PORT, or use that Kafka with --bootstrap " + advertisedHost + ":" + port, cause);
  }

  /** Where clients connect: {@code host:port} of the client listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new ToolException("The embedded Kafka broker did not shut down cleanly: " + e, e);
    }
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception suppressed) {
      // Already failing: the start-up error is the one worth reporting.
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t) || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
