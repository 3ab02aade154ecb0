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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The product's embedded default Kafka: a real KRaft server (one node that is broker and
 * controller) inside this JVM, listening for clients on a fixed address so that producers,
 * consumers and the other subcommands on this machine reach it, with the job's topics created at
 * the frame size limit. Its data lives in a temporary directory deleted on {@link #close()}, or in
 * a directory of the caller's that keeps the topics across restarts.
 *
 * <p>Closed by default: the controller listener is on localhost, and clients' listener on the
 * address asked for (localhost unless the user opens it).
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CLIENT_LISTENER = "CLIENTS";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int NODE_ID = 1;
  /** In a broker's data directory: the cluster id it was formatted with (present once formatted). */
  private static final String CLUSTER_ID_FILE = "cluster-id";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path temporaryDir;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path temporaryDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.temporaryDir = temporaryDir;
  }

  /**
   * Starts the broker on {@code host:port} (port 0 picks a free one) with its data in a temporary
   * directory, and creates the job's topics.
   *
   * @throws ToolException when the address is taken or the broker cannot start, saying what to do
   */
  public static EmbeddedKafka start(String host, int port) {
    return start(host, port, null);
  }

  /**
   * As {@link #start(String, int)}, with the broker's data in {@code dataDir} (created if missing,
   * kept on close, its topics and offsets there again at the next start), or in a temporary
   * directory when it is null.
   */
  public static EmbeddedKafka start(String host, int port, Path dataDir) {
    if (port < 0 || port > 65535) {
      throw new ToolException("Kafka port " + port + " is out of range: give 0..65535 (0 picks a free port)");
    }
    // A wildcard bind address cannot be handed to clients: advertise this machine's loopback name.
    String advertisedHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    int clientPort = port != 0 ? requireFree(host, port, advertisedHost) : freePort(host);
    Path temporary = null;
    KafkaRaftServer server = null;
    try {
      Path logDir = dataDir;
      if (logDir == null) {
        temporary = Files.createTempDirectory("casa-kafka");
        logDir = temporary;
      }
      Files.createDirectories(logDir);
      KafkaConfig config = KafkaConfig.fromProps(properties(host, clientPort, advertisedHost, logDir), false);
      formatOnce(logDir);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(server, advertisedHost + ":" + clientPort, temporary);
      try (Admin admin = new KafkaAccess(kafka.bootstrapServers).admin()) {
        admin.describeCluster().nodes().get(60, TimeUnit.SECONDS); // ready for clients
        CasaTopics.ensure(admin);
      }
      return kafka;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutDownQuietly(server, temporary);
      throw new ToolException("Interrupted while starting the embedded Kafka broker", e);
    } catch (ToolException e) {
      shutDownQuietly(server, temporary);
      throw e;
    } catch (Exception e) {
      shutDownQuietly(server, temporary);
      if (causedBy(e, BindException.class)) {
        throw inUse(host, port, advertisedHost, e);
      }
      throw new ToolException("The embedded Kafka broker did not start on " + host + ":" + port
          + ": " + e, e);
    }
  }

  private static Properties properties(String host, int clientPort, String advertisedHost, Path logDir) {
    int controllerPort = freePort("localhost");
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", CLIENT_LISTENER + "://" + host + ":" + clientPort + ","
        + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
    props.put("advertised.listeners", CLIENT_LISTENER + "://" + advertisedHost + ":" + clientPort);
    props.put("inter.broker.listener.name", CLIENT_LISTENER);
    props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    // One node: every internal topic has one replica, so transactions work.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("min.insync.replicas", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("message.max.bytes", String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
    return props;
  }

  /**
   * Formats {@code logDir} for this node unless that was done before: the cluster id it was
   * formatted with is kept there, because a formatted log directory only opens with it. The
   * formatter's progress goes to stderr: stdout belongs to the events a user asked for (--json
   * consumers parse it).
   */
  private static void formatOnce(Path logDir) throws Exception {
    Path idFile = logDir.resolve(CLUSTER_ID_FILE);
    if (Files.isRegularFile(idFile)) {
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      new Formatter()
          .setPrintStream(System.err)
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } finally {
      System.setOut(stdout);
    }
    Files.writeString(idFile, clusterId, StandardCharsets.UTF_8);
  }

  /** A port free on {@code host} now, for a listener that must be named before it starts. */
  private static int freePort(String host) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new ToolException("No free port on " + host + " for the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /** Fails before the broker starts (and logs its own errors) when the address is taken. */
  private static int requireFree(String host, int port, String advertisedHost) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
      return port;
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
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      throw new ToolException("The embedded Kafka broker did not shut down cleanly: " + e, e);
    } finally {
      deleteQuietly(temporaryDir);
    }
  }

  private static void shutDownQuietly(KafkaRaftServer server, Path temporary) {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException suppressed) {
        // Already failing: the start-up error is the one worth reporting.
      }
    }
    deleteQuietly(temporary);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a temporary directory; the system cleans it eventually
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
