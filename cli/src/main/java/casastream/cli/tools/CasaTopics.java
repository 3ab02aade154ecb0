package casastream.cli.tools;

import casastream.operators.kafka.KafkaDefaults;
import casastream.operators.kafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the job reads and writes, with the settings they need: room for frames (Kafka's 1 MiB
 * default is too small for camera images) and a compacted control topic, so that the standing
 * questions survive however long the topic lives.
 */
public final class CasaTopics {

  /** Partitions of the keyed data topics: room for a few parallel readers on one machine. */
  public static final int DATA_PARTITIONS = 4;

  private static final long TIMEOUT_SECONDS = 30;

  private CasaTopics() {}

  /** Every topic of the job, with its settings; replication follows the broker's default. */
  public static List<NewTopic> all() {
    Map<String, String> large = Map.of(
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
    Map<String, String> compacted = Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(KafkaDefaults.MAX_MESSAGE_BYTES));
    return List.of(
        topic(Topics.FRAMES, DATA_PARTITIONS, large),
        topic(Topics.TEXT_EVENTS, DATA_PARTITIONS, large),
        topic(Topics.FRAMES_DLQ, 1, large),
        topic(Topics.FRAMES_LATE, 1, large),
        topic(Topics.QUERIES, 1, compacted));
  }

  /** Creates the topics that do not exist yet; existing ones are left as they are. Returns those created. */
  public static List<String> ensure(Admin admin) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : all()) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      if (!missing.isEmpty()) {
        createIgnoringRaces(admin, missing);
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("Interrupted while creating the topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ToolException("Cannot create the job's topics: " + ToolException.rootMessage(e)
          + "; create them yourself (see README.md, Kafka settings for large frames)", e);
    }
  }

  private static void createIgnoringRaces(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Another tool created one of them in the meantime: that is what we wanted.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
    return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
  }
}
