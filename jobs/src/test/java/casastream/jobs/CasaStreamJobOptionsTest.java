package casastream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.model.decode.Decoding;
import casastream.operators.queries.EmitPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CasaStreamJobOptionsTest {

  private static CasaStreamJobOptions parse(String... args) {
    CasaStreamJob job = new CasaStreamJob();
    new CommandLine(job).parseArgs(args);
    return job.options();
  }

  @Test
  void readsTypedOptionsFromTheCommandLine(@TempDir Path model) {
    CasaStreamJobOptions options = parse("--bootstrap-servers", "kafka:9092", "--model", model.toString(),
        "--max-batch-size", "16", "--max-wait", "20ms", "--max-frame-age", "2s", "--max-fps", "5",
        "--emit-policy", "every:30s", "--idle-timeout", "5m", "--parallelism", "4", "--max-parallelism", "720");

    assertThat(options.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(options.modelPath()).isEqualTo(model.toAbsolutePath());
    assertThat(options.parallelism()).isEqualTo(4);
    assertThat(options.maxParallelism()).isEqualTo(720);
    assertThat(options.inference().maxBatchSize()).isEqualTo(16);
    assertThat(options.inference().maxWaitMillis()).isEqualTo(20);
    assertThat(options.inference().maxFrameAgeMillis()).isEqualTo(2_000);
    assertThat(options.inference().maxFramesPerSecond()).isEqualTo(5.0);
    assertThat(options.inference().captionPolicy()).isEqualTo(EmitPolicy.every(Duration.ofSeconds(30)));
    assertThat(options.inference().idleTimeoutMillis()).isEqualTo(300_000);
  }

  @Test
  void defaultsToTheStandardTopicsAndTheShippedModel() {
    CasaStreamJobOptions options = parse("--bootstrap-servers", "kafka:9092");
    assertThat(options.decoding()).isEqualTo(Decoding.DRAFT);
    assertThat(parse("--bootstrap-servers", "kafka:9092", "--decoder", "plain").decoding()).isEqualTo(Decoding.PLAIN);
    assertThat(((casastream.operators.inference.CasaFrameModelFactory) CasaStreamJob.modelFactory(
        parse("--bootstrap-servers", "kafka:9092", "--decoder", "plain"))).decoding()).isEqualTo(Decoding.PLAIN);
    assertThat(options.framesTopic()).isEqualTo("frames");
    assertThat(options.deadLetterTopic()).isEqualTo("frames-dlq");
    assertThat(options.textEventsTopic()).isEqualTo("text-events");
    assertThat(options.queriesTopic()).isEqualTo("queries");
    assertThat(options.lateFramesTopic()).isEqualTo("frames-late");
    assertThat(options.modelPath()).isNull();
    assertThat(options.inference().captionPolicy()).isEqualTo(EmitPolicy.onChange());
  }

  @Test
  void namesTheBadOptionAndWhatIsAllowed() {
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--max-batch-size", "0"))
        .hasMessageContaining("--max-batch-size").hasMessageContaining("between 1 and 4096");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--max-wait", "soon"))
        .hasMessageContaining("--max-wait 'soon'").hasMessageContaining("250ms");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--emit-policy", "sometimes"))
        .hasMessageContaining("--emit-policy").hasMessageContaining("on-change");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--idle-timeout", "0s"))
        .hasMessageContaining("--idle-timeout must be a positive duration");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--max-frame-age", "-1s"))
        .hasMessageContaining("--max-frame-age must be 0 (keep every frame) or positive");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--parallelism", "8", "--max-parallelism", "4"))
        .hasMessageContaining("--max-parallelism must be 0 (Flink's default) or between --parallelism and 32768");
    assertThatThrownBy(() -> parse("--bootstrap-servers", " "))
        .hasMessageContaining("--bootstrap-servers is empty");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--decoder", "fast"))
        .hasMessageContaining("--decoder").hasMessageContaining("plain, draft");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:1", "--model", "/no/such/dir"))
        .hasMessageContaining("--model /no/such/dir is not a directory");
  }

  @Test
  void exitsWithAUsageErrorBeforeStartingAnything() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new CasaStreamJob()).setErr(new PrintWriter(err))
        .execute("--bootstrap-servers", "k:1", "--max-fps", "-3");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--max-fps must be 0 (no limit) or positive, was -3.0");
  }

  @Test
  void readsDurationsInTheUsualUnits() {
    assertThat(CasaStreamJobOptions.parseDuration("--x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(CasaStreamJobOptions.parseDuration("--x", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(CasaStreamJobOptions.parseDuration("--x", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(CasaStreamJobOptions.parseDuration("--x", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(CasaStreamJobOptions.parseDuration("--x", "PT3S")).isEqualTo(Duration.ofSeconds(3));
  }
}
