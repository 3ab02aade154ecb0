package casastream.bench;

import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import casastream.cli.cluster.FlinkRest;
import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.embedded.JobCounters;
import casastream.cli.tools.CasaTopics;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamStateStorage;
import casastream.operators.kafka.KafkaDefaults;
import casastream.operators.queries.EmitPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The product's local set-up for the pipeline benchmarks: the embedded Kafka broker and the job on
 * a Flink MiniCluster (one TaskManager, RocksDB state, incremental checkpoints to a local folder,
 * exactly-once sinks), with the REST API on a free port so checkpoint statistics can be read.
 */
final class PipelineRig implements AutoCloseable {

  private final EmbeddedKafka kafka;
  private final Path scratch;
  private final List<JobClient> jobs = new ArrayList<>();

  PipelineRig() throws IOException {
    scratch = Files.createTempDirectory("casa-bench-");
    kafka = EmbeddedKafka.start("localhost", 0);
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  Path scratch() {
    return scratch;
  }

  /** Creates a keyed topic with the job's data partitions and frame size limit, unless it exists. */
  void createTopic(String name) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(name, CasaTopics.DATA_PARTITIONS, (short) 1).configs(
              Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES)))))
          .all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /** A running job and the REST port of its MiniCluster. */
  record Job(JobClient client, int restPort) {}

  /**
   * Starts the job reading {@code framesTopic} and writing every frame's caption to
   * {@code eventsTopic}; returns once Flink reports it RUNNING.
   *
   * @param maxFrameAge frames older than this when their batch runs are dropped; zero keeps every frame
   */
  Job start(String name, String framesTopic, String eventsTopic, FrameModelFactory model, Path modelDir,
            Duration checkpointInterval, Duration maxFrameAge) throws Exception {
    return start(name, framesTopic, eventsTopic, model, modelDir, checkpointInterval, maxFrameAge, 1);
  }

  /** The same at {@code parallelism}: that many slots of one TaskManager, sharing one loaded model. */
  Job start(String name, String framesTopic, String eventsTopic, FrameModelFactory model, Path modelDir,
            Duration checkpointInterval, Duration maxFrameAge, int parallelism) throws Exception {
    for (String topic : List.of(framesTopic, eventsTopic, name + "-dlq", name + "-late", name + "-queries")) {
      createTopic(topic);
    }
    CasaStreamJobOptions options = CasaStreamJobOptions.builder()
        .bootstrapServers(bootstrapServers())
        .framesTopic(framesTopic)
        .textEventsTopic(eventsTopic)
        .deadLetterTopic(name + "-dlq")
        .lateFramesTopic(name + "-late")
        .queriesTopic(name + "-queries")
        .groupId(name)
        .transactionalIdPrefix(name)
        .modelPath(modelDir)
        .maxBatchSize(64)
        .maxFrameAge(maxFrameAge)
        .emitPolicy(EmitPolicy.everyFrame())
        .checkpointInterval(checkpointInterval)
        .parallelism(parallelism)
        .build();
    int restPort = freePort();
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, scratch.resolve(name + "-checkpoints").toUri().toString());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(RestOptions.PORT, restPort);
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    StreamStateStorage.applyTo(conf);
    conf.setString("metrics.reporter." + JobCounters.REPORTER_NAME + ".factory.class", JobCounters.Factory.class.getName());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    CasaStreamJob.build(env, options, model);
    JobClient client = env.executeAsync(name);
    jobs.add(client);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (client.getJobStatus().get() != JobStatus.RUNNING) {
      if (System.nanoTime() > deadline || client.getJobStatus().get().isGloballyTerminalState()) {
        throw new IllegalStateException("job " + name + " did not reach RUNNING: " + client.getJobStatus().get());
      }
      Thread.sleep(100);
    }
    return new Job(client, restPort);
  }

  /** The latest completed checkpoint's statistics from the REST API, or null before the first one. */
  JsonNode latestCheckpoint(Job job) {
    JsonNode stats = new FlinkRest("localhost:" + job.restPort()).get("jobs/" + job.client().getJobID() + "/checkpoints");
    JsonNode completed = stats.path("latest").path("completed");
    return completed.isMissingNode() || completed.isNull() ? null : completed;
  }

  /** Waits for a checkpoint that completed after {@code afterMillis} and returns its statistics. */
  JsonNode awaitCheckpointAfter(Job job, long afterMillis, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode latest = latestCheckpoint(job);
      if (latest != null && latest.path("latest_ack_timestamp").asLong() > afterMillis) {
        return latest;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no checkpoint completed within " + timeout + "; is the job back-pressured?");
  }

  void cancel(Job job) throws Exception {
    job.client().cancel().get(60, TimeUnit.SECONDS);
    jobs.remove(job.client());
  }

  /** A port free on this machine now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (JobClient job : jobs) {
      try {
        job.cancel().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the job may have ended already; the broker is closed below either way
      }
    }
    kafka.close();
    try (var files = Files.walk(scratch)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
