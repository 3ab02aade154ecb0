package casastream.jobs;

import casastream.operators.inference.InferenceSettings;
import casastream.operators.kafka.Topics;
import casastream.operators.queries.EmitPolicy;
import casastream.model.decode.Decoding;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything the streaming job can be told, typed and checked once at start-up. Built with
 * {@link #builder()}; {@link Builder#build()} refuses a bad value with a message that names the
 * command-line option, says what was wrong and what is allowed.
 */
public final class CasaStreamJobOptions implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String framesTopic;
  private final String deadLetterTopic;
  private final String textEventsTopic;
  private final String queriesTopic;
  private final String lateFramesTopic;
  private final String groupId;
  private final String transactionalIdPrefix;
  private final String modelPath;
  private final Decoding decoding;
  private final int parallelism;
  private final int maxParallelism;
  private final long checkpointIntervalMillis;
  private final InferenceSettings inference;

  private CasaStreamJobOptions(Builder b, InferenceSettings inference) {
    this.bootstrapServers = b.bootstrapServers;
    this.framesTopic = b.framesTopic;
    this.deadLetterTopic = b.deadLetterTopic;
    this.textEventsTopic = b.textEventsTopic;
    this.queriesTopic = b.queriesTopic;
    this.lateFramesTopic = b.lateFramesTopic;
    this.groupId = b.groupId;
    this.transactionalIdPrefix = b.transactionalIdPrefix;
    this.modelPath = b.modelPath == null ? null : b.modelPath.toAbsolutePath().toString();
    this.decoding = b.decoding;
    this.parallelism = b.parallelism;
    this.maxParallelism = b.maxParallelism;
    this.checkpointIntervalMillis = b.checkpointInterval.toMillis();
    this.inference = inference;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String framesTopic() {
    return framesTopic;
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  public String textEventsTopic() {
    return textEventsTopic;
  }

  public String queriesTopic() {
    return queriesTopic;
  }

  public String lateFramesTopic() {
    return lateFramesTopic;
  }

  public String groupId() {
    return groupId;
  }

  /** Each exactly-once sink appends its own suffix; must be stable across restarts of this job. */
  public String transactionalIdPrefix() {
    return transactionalIdPrefix;
  }

  /** The checkpoint directory of the model, or null for the model shipped in the jar. */
  public Path modelPath() {
    return modelPath == null ? null : Path.of(modelPath);
  }

  /** How the model decodes: {@code draft} (the default) or {@code plain}; the texts are the same. */
  public Decoding decoding() {
    return decoding;
  }

  /** 0 keeps the cluster's default parallelism. */
  public int parallelism() {
    return parallelism;
  }

  /**
   * The number of key groups, fixed for the life of the job's state: the highest parallelism it can
   * ever be rescaled to from a savepoint. 0 lets Flink derive it (128 for a parallelism up to 85).
   */
  public int maxParallelism() {
    return maxParallelism;
  }

  public Duration checkpointInterval() {
    return Duration.ofMillis(checkpointIntervalMillis);
  }

  public InferenceSettings inference() {
    return inference;
  }

  /**
   * Reads a duration as the options write it: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h},
   * or ISO-8601 ({@code PT10S}).
   *
   * @throws IllegalArgumentException naming {@code option} when the text is not a duration
   */
  public static Duration parseDuration(String option, String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("p")) {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      }
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      switch (value.charAt(value.length() - 1)) {
        case 's':
          return Duration.ofSeconds(amount);
        case 'm':
          return Duration.ofMinutes(amount);
        case 'h':
          return Duration.ofHours(amount);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(option + " '" + text
        + "' is not a duration: write e.g. 250ms, 10s, 5m or 2h");
  }

  /**
   * Reads a caption emit policy: {@code on-change}, {@code every-frame} or {@code every:<duration>}
   * (e.g. {@code every:30s}).
   */
  public static EmitPolicy parseEmitPolicy(String option, String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("on-change")) {
      return EmitPolicy.onChange();
    }
    if (value.equals("every-frame")) {
      return EmitPolicy.everyFrame();
    }
    if (value.startsWith("every:")) {
      return EmitPolicy.every(parseDuration(option, value.substring("every:".length())));
    }
    throw new IllegalArgumentException(option + " '" + text
        + "' is not an emit policy: write on-change, every-frame or every:<duration> (e.g. every:30s)");
  }

  /** Defaults: the topics of {@link Topics}, the shipped model, settings for a CPU TaskManager. */
  public static final class Builder {
    private String bootstrapServers;
    private String framesTopic = Topics.FRAMES;
    private String deadLetterTopic = Topics.FRAMES_DLQ;
    private String textEventsTopic = Topics.TEXT_EVENTS;
    private String queriesTopic = Topics.QUERIES;
    private String lateFramesTopic = Topics.FRAMES_LATE;
    private String groupId = "casa-stream";
    private String transactionalIdPrefix = "casa-stream";
    private Path modelPath;
    private Decoding decoding = Decoding.DRAFT;
    private int parallelism;
    private int maxParallelism;
    private Duration checkpointInterval = Duration.ofSeconds(10);
    private int maxBatchSize = 32;
    private Duration maxWait = Duration.ofMillis(50);
    private Duration maxFrameAge = Duration.ofSeconds(10);
    private double maxFramesPerSecond;
    private EmitPolicy emitPolicy = EmitPolicy.onChange();
    private Duration idleTimeout = Duration.ofMinutes(30);

    private Builder() {}

    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    public Builder framesTopic(String value) {
      this.framesTopic = value;
      return this;
    }

    public Builder deadLetterTopic(String value) {
      this.deadLetterTopic = value;
      return this;
    }

    public Builder textEventsTopic(String value) {
      this.textEventsTopic = value;
      return this;
    }

    public Builder queriesTopic(String value) {
      this.queriesTopic = value;
      return this;
    }

    public Builder lateFramesTopic(String value) {
      this.lateFramesTopic = value;
      return this;
    }

    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    public Builder transactionalIdPrefix(String value) {
      this.transactionalIdPrefix = value;
      return this;
    }

    /** Null for the shipped model. */
    public Builder modelPath(Path value) {
      this.modelPath = value;
      return this;
    }

    public Builder decoding(Decoding value) {
      this.decoding = value;
      return this;
    }

    public Builder parallelism(int value) {
      this.parallelism = value;
      return this;
    }

    public Builder maxParallelism(int value) {
      this.maxParallelism = value;
      return this;
    }

    public Builder checkpointInterval(Duration value) {
      this.checkpointInterval = value;
      return this;
    }

    public Builder maxBatchSize(int value) {
      this.maxBatchSize = value;
      return this;
    }

    public Builder maxWait(Duration value) {
      this.maxWait = value;
      return this;
    }

    public Builder maxFrameAge(Duration value) {
      this.maxFrameAge = value;
      return this;
    }

    public Builder maxFramesPerSecond(double value) {
      this.maxFramesPerSecond = value;
      return this;
    }

    public Builder emitPolicy(EmitPolicy value) {
      this.emitPolicy = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    public CasaStreamJobOptions build() {
      requireText("--bootstrap-servers", bootstrapServers);
      requireText("--frames-topic", framesTopic);
      requireText("--dead-letter-topic", deadLetterTopic);
      requireText("--text-events-topic", textEventsTopic);
      requireText("--queries-topic", queriesTopic);
      requireText("--late-frames-topic", lateFramesTopic);
      requireText("--group-id", groupId);
      requireText("--transactional-id-prefix", transactionalIdPrefix);
      require(modelPath == null || Files.isDirectory(modelPath),
          "--model " + modelPath + " is not a directory: give a checkpoint directory holding config.json"
              + " and model.safetensors, or leave it out for the shipped model");
      require(parallelism >= 0, "--parallelism must be 0 (the cluster default) or more, was " + parallelism);
      require(maxParallelism == 0 || (maxParallelism >= Math.max(1, parallelism) && maxParallelism <= MAX_KEY_GROUPS),
          "--max-parallelism must be 0 (Flink's default) or between --parallelism and " + MAX_KEY_GROUPS
              + ", was " + maxParallelism);
      requirePositive("--checkpoint-interval", checkpointInterval);
      InferenceSettings inference;
      try {
        inference = InferenceSettings.builder()
            .maxBatchSize(maxBatchSize)
            .maxWait(maxWait)
            .maxFrameAge(maxFrameAge)
            .maxFramesPerSecond(maxFramesPerSecond)
            .captionPolicy(emitPolicy)
            .idleTimeout(idleTimeout)
            .build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(withOptionNames(e.getMessage()), e);
      }
      return new CasaStreamJobOptions(this, inference);
    }

    /** The inference settings' own checks, their field names replaced by the options that set them. */
    private static String withOptionNames(String message) {
      String named = message;
      for (String[] pair : OPTION_NAMES) {
        named = named.replace(pair[0] + " ", pair[1] + " ");
      }
      return named;
    }

    /** Flink's upper bound on max parallelism (key groups). */
    private static final int MAX_KEY_GROUPS = 32_768;

    private static final String[][] OPTION_NAMES = {
        {"maxBatchSize", "--max-batch-size"}, {"maxWait", "--max-wait"}, {"maxFrameAge", "--max-frame-age"},
        {"maxFramesPerSecond", "--max-fps"}, {"idleTimeout", "--idle-timeout"}, {"captionPolicy", "--emit-policy"}};

    private static void requireText(String option, String value) {
      require(value != null && !value.isBlank(), option + " is empty: give a value");
    }

    private static void requirePositive(String option, Duration value) {
      require(value != null && !value.isNegative() && !value.isZero(),
          option + " must be a positive duration, was " + value);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
