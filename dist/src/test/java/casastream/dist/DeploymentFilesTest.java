package casastream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.tools.CasaTopics;
import casastream.jobs.CasaStreamJob;
import casastream.jobs.CasaStreamJobOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import casastream.jobs.tools.NativeEngineCheck;
import casastream.testkit.ExternalProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and docker/Dockerfile cannot run here (no Docker engine), so what can be
 * checked is: the compose file is valid for docker-compose, and both name what this build makes.
 */
class DeploymentFilesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theComposeFileIsValidForDockerCompose() throws Exception {
    Path dockerCompose = ExternalProgram.require("docker-compose", "the docker-compose.yml validation",
        "apt-get install docker-compose");
    ProcessBuilder check = new ProcessBuilder(dockerCompose.toString(), "-f", "docker-compose.yml", "config", "-q")
        .directory(ROOT.toFile()).redirectErrorStream(true);
    Process process = check.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("docker-compose config -q said: %s", output).isZero();
  }

  @Test
  void theComposeFileCreatesEveryTopicOfTheJobAtTheFrameSizeLimit() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    for (NewTopic topic : CasaTopics.all()) {
      Matcher line = Pattern.compile("create " + Pattern.quote(topic.name()) + " (.*)").matcher(compose);
      assertThat(line.find()).as("compose creates topic %s", topic.name()).isTrue();
      assertThat(line.group(1)).contains("max.message.bytes=" + topic.configs().get("max.message.bytes"));
    }
    assertThat(compose).contains("create queries --partitions 1 --config cleanup.policy=compact");
  }

  @Test
  void theImageAndComposeNameWhatTheBuildMakes() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    String pom = Files.readString(ROOT.resolve("jobs/pom.xml"));

    assertThat(pom).contains("<finalName>casa-stream-flink</finalName>");
    assertThat(dockerfile).contains("COPY --chown=flink:flink jobs/target/casa-stream-flink.jar /opt/flink/lib/");
    Matcher config = Pattern.compile("COPY --chown=flink:flink (\\S+) /opt/flink/conf/config.yaml").matcher(dockerfile);
    assertThat(config.find()).isTrue();
    assertThat(ROOT.resolve(config.group(1))).isRegularFile();
    Matcher check = Pattern.compile("java -cp \"/opt/flink/lib/\\*\" (\\S+)").matcher(dockerfile);
    assertThat(check.find()).isTrue();
    assertThat(Class.forName(check.group(1))).isEqualTo(NativeEngineCheck.class);

    Matcher job = Pattern.compile("--job-classname (\\S+)").matcher(compose);
    assertThat(job.find()).isTrue();
    assertThat(Class.forName(job.group(1)).getMethod("main", String[].class)).isNotNull();
    assertThat(compose).contains("dockerfile: docker/Dockerfile").contains("driver: nvidia");
  }

  @Test
  void theKubernetesDeploymentStartsTheJobOfTheImageWithArgumentsTheJobAccepts() throws Exception {
    JsonNode deployment = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("kubernetes/flink-deployment.yaml").toFile());
    assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
    JsonNode job = deployment.path("spec").path("job");
    assertThat(Class.forName(job.path("entryClass").asText())).isEqualTo(CasaStreamJob.class);
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertThat(dockerfile).contains("/opt/flink/lib/casa-stream-flink.jar");
    assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/lib/casa-stream-flink.jar");
    List<String> args = new ArrayList<>();
    job.path("args").forEach(arg -> args.add(arg.asText()));
    CasaStreamJobOptions options = CasaStreamJob.parseOptions(args);
    assertThat(options.bootstrapServers()).isEqualTo("kafka.kafka.svc:9092");
    JsonNode flink = deployment.path("spec").path("flinkConfiguration");
    assertThat(flink.path("state.backend.type").asText()).isEqualTo("rocksdb");
    assertThat(flink.path("execution.checkpointing.dir").asText()).startsWith("s3://");
    assertThat(flink.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
    assertThat(flink.path("external-resource.gpu.kubernetes.config-key").asText()).isEqualTo("nvidia.com/gpu");
    assertThat(flink.path("classloader.parent-first-patterns.additional").asText()).contains("casastream.");
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
  }

  @Test
  void theComposeJobManagerStartsTheJobWithArgumentsTheJobAcceptsAndPublishesOnlyToThisMachine() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    Matcher command = Pattern.compile("--job-classname (\\S+)\\s+((?:--\\S+ \\S+\\s*)+)").matcher(compose);
    assertThat(command.find()).isTrue();
    List<String> args = List.of(command.group(2).trim().split("\\s+"));
    assertThat(CasaStreamJob.parseOptions(args).bootstrapServers()).isEqualTo("kafka:19092");
    Matcher ports = Pattern.compile("(?m)^\\s+- \"([^\"]+)\"").matcher(compose.substring(0, compose.indexOf("\nvolumes:")));
    List<String> published = new ArrayList<>();
    while (ports.find()) {
      if (ports.group(1).matches("[0-9.:]+")) {
        published.add(ports.group(1));
      }
    }
    assertThat(published).as("published ports").isNotEmpty().allMatch(port -> port.startsWith("127.0.0.1:"));
  }
}
