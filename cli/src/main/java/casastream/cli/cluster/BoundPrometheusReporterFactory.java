package casastream.cli.cluster;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * Flink's Prometheus reporter, listening on one address instead of every interface: the local
 * cluster's processes serve {@code /metrics} on localhost unless {@code cluster start --bind} opens
 * them. Configured as {@code metrics.reporter.prom.factory.class} with {@code .host} and
 * {@code .port} (a range: each process of the machine takes the next free port).
 *
 * <p>Flink's own reporter offers only the port; this one reuses everything else of it (metric
 * names, labels, the registry) and only chooses where its HTTP server binds.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new BoundPrometheusReporter();
  }

  static final class BoundPrometheusReporter extends AbstractPrometheusReporter {

    private HTTPServer server;

    @Override
    public void open(MetricConfig config) {
      super.open(config);
      String host = config.getString("host", "localhost");
      Iterator<Integer> ports = NetUtils.getPortRangeFromString(config.getString("port", "9249"));
      CollectorRegistry registry = registry();
      while (ports.hasNext() && server == null) {
        int port = ports.next();
        try {
          server = new HTTPServer(new InetSocketAddress(host, port), registry, true);
          log.info("Started PrometheusReporter HTTP server on {}:{}", host, port);
        } catch (IOException e) {
          log.debug("Could not start PrometheusReporter HTTP server on {}:{}", host, port, e);
        }
      }
      if (server == null) {
        throw new IllegalStateException("No free port for the Prometheus reporter on " + host + " in "
            + config.getString("port", "9249"));
      }
    }

    /** The registry the reporter's metrics are in (not exposed by Flink's base class). */
    private CollectorRegistry registry() {
      try {
        Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
        field.setAccessible(true);
        return (CollectorRegistry) field.get(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("This Flink version's Prometheus reporter keeps its registry elsewhere", e);
      }
    }

    @Override
    public void close() {
      if (server != null) {
        server.stop();
      }
      super.close();
    }
  }
}
