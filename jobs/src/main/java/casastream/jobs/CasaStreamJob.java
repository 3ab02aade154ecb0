package casastream.jobs;

import casastream.model.decode.Decoding;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.CasaInferenceOperator;
import casastream.operators.inference.EmittedText;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.LateFrames;
import casastream.operators.inference.ValidFrameView;
import casastream.operators.kafka.AvroRecordSerializer;
import casastream.operators.kafka.KafkaSinks;
import casastream.operators.kafka.KafkaSources;
import casastream.operators.kafka.RawKafkaRecord;
import casastream.operators.validation.FrameValidationFunction;
import casastream.operators.validation.RejectedFrame;
import casastream.operators.validation.ValidFrame;
import casastream.operators.validation.ValidationOptions;
import casastream.schemas.DeadLetter;
import casastream.schemas.Frame;
import casastream.schemas.TextEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The production streaming job. Its graph is architecture.md's diagram:
 *
 * <pre>
 * Kafka frames -> validate (dead letters -> frames-dlq) -> keyBy(streamId)
 *   -> CASA inference (late frames -> frames-late) <- broadcast standing queries (Kafka queries)
 *   -> exactly-once Kafka sink text-events
 * </pre>
 *
 * <p>{@link #main} parses and checks the options, then submits the job to the environment it runs
 * in (a cluster when started by {@code flink run}, a local MiniCluster otherwise).
 * {@link #build} adds the graph to any environment, for tests and the embedded run.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs the streaming job: Kafka frames in, text events out, exactly once.")
public final class CasaStreamJob implements Callable<Integer> {

  /** The job's name on the dashboard and in the cluster's job list. */
  public static final String JOB_NAME = "casa-stream";

  /** Idle Kafka partitions must not hold back watermarks for the others. */
  private static final Duration SOURCE_IDLENESS = Duration.ofMinutes(1);

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap-servers", required = true,
      description = "Kafka bootstrap servers, host:port[,host:port].")
  private String bootstrapServers;

  @Option(names = "--frames-topic", defaultValue = "frames",
      description = "Topic of Avro Frame messages (default: ${DEFAULT-VALUE}).")
  private String framesTopic;

  @Option(names = "--dead-letter-topic", defaultValue = "frames-dlq",
      description = "Topic for refused frames (default: ${DEFAULT-VALUE}).")
  private String deadLetterTopic;

  @Option(names = "--text-events-topic", defaultValue = "text-events",
      description = "Topic for text events (default: ${DEFAULT-VALUE}).")
  private String textEventsTopic;

  @Option(names = "--queries-topic", defaultValue = "queries",
      description = "Topic of standing queries (default: ${DEFAULT-VALUE}).")
  private String queriesTopic;

  @Option(names = "--late-frames-topic", defaultValue = "frames-late",
      description = "Topic for frames that came too late (default: ${DEFAULT-VALUE}).")
  private String lateFramesTopic;

  @Option(names = "--group-id", defaultValue = "casa-stream",
      description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
  private String groupId;

  @Option(names = "--transactional-id-prefix", defaultValue = "casa-stream",
      description = "Prefix of the sinks' Kafka transactional ids; unique per job, stable across restarts"
          + " (default: ${DEFAULT-VALUE}).")
  private String transactionalIdPrefix;

  @Option(names = "--model",
      description = "CASA checkpoint directory readable by every TaskManager (default: the shipped model).")
  private Path model;

  @Option(names = "--decoder", defaultValue = "draft", paramLabel = "plain|draft",
      description = "How the model decodes: draft checks each stream's last texts as a draft and lets finished"
          + " streams leave the batch; plain decodes token by token. Both write the same texts"
          + " (default: ${DEFAULT-VALUE}).")
  private String decoder;

  @Option(names = "--max-batch-size", defaultValue = "32",
      description = "Most streams in one inference batch (default: ${DEFAULT-VALUE}).")
  private int maxBatchSize;

  @Option(names = "--max-wait", defaultValue = "50ms",
      description = "Longest a frame waits for its batch to fill (default: ${DEFAULT-VALUE}).")
  private String maxWait;

  @Option(names = "--max-frame-age", defaultValue = "10s",
      description = "Frames older than this when their batch runs are dropped; 0s keeps all"
          + " (default: ${DEFAULT-VALUE}).")
  private String maxFrameAge;

  @Option(names = "--max-fps", defaultValue = "0",
      description = "Per-stream frame rate limit; 0 for none (default: ${DEFAULT-VALUE}).")
  private double maxFps;

  @Option(names = "--emit-policy", defaultValue = "on-change",
      description = "When captions go out: on-change, every-frame or every:<duration> (default: ${DEFAULT-VALUE}).")
  private String emitPolicy;

  @Option(names = "--idle-timeout", defaultValue = "30m",
      description = "A stream silent this long has its state cleared (default: ${DEFAULT-VALUE}).")
  private String idleTimeout;

  @Option(names = "--parallelism", defaultValue = "0",
      description = "Job parallelism; 0 for the cluster default (default: ${DEFAULT-VALUE}).")
  private int parallelism;

  @Option(names = "--max-parallelism", defaultValue = "0",
      description = "Key groups: the highest parallelism the job's state can later be rescaled to."
          + " Fixed at the first start; 0 lets Flink choose (128 up to parallelism 85). Set it, e.g. 720,"
          + " for a job that may grow past 128 slots (default: ${DEFAULT-VALUE}).")
  private int maxParallelism;

  @Option(names = "--checkpoint-interval", defaultValue = "10s",
      description = "Checkpoint interval; text events become visible when a checkpoint completes"
          + " (default: ${DEFAULT-VALUE}).")
  private String checkpointInterval;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CasaStreamJob()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    CasaStreamJobOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, options, modelFactory(options));
    env.execute(JOB_NAME);
    return 0;
  }

  /**
   * The typed options of {@code run}'s arguments, checked as {@code run} checks them: a picocli
   * ParameterException naming the bad or missing option. Tools that start the job elsewhere (a
   * cluster's REST API, a Kubernetes manifest) validate their arguments with it.
   */
  public static CasaStreamJobOptions parseOptions(List<String> args) {
    CasaStreamJob job = new CasaStreamJob();
    CommandLine commandLine = new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.parseArgs(args.toArray(String[]::new));
    try {
      return job.options();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
    }
  }

  /** The typed options from the command line; throws IllegalArgumentException naming a bad option. */
  CasaStreamJobOptions options() {
    return CasaStreamJobOptions.builder()
        .bootstrapServers(bootstrapServers)
        .framesTopic(framesTopic)
        .deadLetterTopic(deadLetterTopic)
        .textEventsTopic(textEventsTopic)
        .queriesTopic(queriesTopic)
        .lateFramesTopic(lateFramesTopic)
        .groupId(groupId)
        .transactionalIdPrefix(transactionalIdPrefix)
        .modelPath(model)
        .decoding(decoding("--decoder", decoder))
        .maxBatchSize(maxBatchSize)
        .maxWait(CasaStreamJobOptions.parseDuration("--max-wait", maxWait))
        .maxFrameAge(CasaStreamJobOptions.parseDuration("--max-frame-age", maxFrameAge))
        .maxFramesPerSecond(maxFps)
        .emitPolicy(CasaStreamJobOptions.parseEmitPolicy("--emit-policy", emitPolicy))
        .idleTimeout(CasaStreamJobOptions.parseDuration("--idle-timeout", idleTimeout))
        .parallelism(parallelism)
        .maxParallelism(maxParallelism)
        .checkpointInterval(CasaStreamJobOptions.parseDuration("--checkpoint-interval", checkpointInterval))
        .build();
  }

  /** The CASA model the options name: a checkpoint directory, or the shipped model. */
  public static FrameModelFactory modelFactory(CasaStreamJobOptions options) {
    return (options.modelPath() == null
        ? CasaFrameModelFactory.shipped()
        : CasaFrameModelFactory.fromCheckpoint(options.modelPath())).withDecoding(options.decoding());
  }

  /** {@code plain} or {@code draft}; throws IllegalArgumentException naming the option otherwise. */
  public static Decoding decoding(String option, String value) {
    try {
      return Decoding.of(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the job's graph to {@code env}: checkpointing exactly once, sources, validation, the
   * inference operator and the three exactly-once sinks.
   *
   * @return the text events, as written to the text-events topic
   */
  public static DataStream<EmittedText> build(
      StreamExecutionEnvironment env, CasaStreamJobOptions options, FrameModelFactory model) {
    env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    if (options.parallelism() > 0) {
      env.setParallelism(options.parallelism());
    }
    if (options.maxParallelism() > 0) {
      env.setMaxParallelism(options.maxParallelism());
    }
    int imageSize = model.imageSize();

    DataStream<RawKafkaRecord> frameRecords = env.fromSource(
        KafkaSources.rawRecords(options.bootstrapServers(), options.groupId(), options.framesTopic()).build(),
        WatermarkStrategy.<RawKafkaRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
            .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp)
            .withIdleness(SOURCE_IDLENESS),
        "frames").uid("frames-source");

    SingleOutputStreamOperator<ValidFrame> frames = frameRecords
        .process(new FrameValidationFunction(ValidationOptions.builder().targetSize(imageSize, imageSize).build()))
        .name("validate frames").uid("validate-frames");
    frames.getSideOutput(FrameValidationFunction.DEAD_LETTERS)
        .sinkTo(KafkaSinks.exactlyOnce(options.bootstrapServers(), options.transactionalIdPrefix() + "-dead-letters",
            new AvroRecordSerializer<>(options.deadLetterTopic(), DeadLetter.class,
                rejected -> rejected.streamId, RejectedFrame::toDeadLetter)).build())
        .name("dead letters to " + options.deadLetterTopic()).uid("dead-letter-sink");

    // Queries are read from the start of the topic on a fresh start (the latest message per
    // query id wins); after a restore the broadcast state and the source's offsets take over.
    DataStream<byte[]> queries = env.fromSource(
            KafkaSources.rawRecords(
                    options.bootstrapServers(), options.groupId() + "-queries", options.queriesTopic())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .build(),
            WatermarkStrategy.noWatermarks(), "standing queries").uid("queries-source")
        .filter(record -> record.value != null).name("drop tombstones").uid("queries-tombstones")
        .map(record -> record.value, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
        .name("query bytes").uid("query-bytes");

    SingleOutputStreamOperator<EmittedText> text = frames
        .keyBy(frame -> frame.streamId)
        .connect(queries.broadcast())
        .transform("CASA inference", TypeInformation.of(EmittedText.class),
            new CasaInferenceOperator<>(options.inference(), model, new ValidFrameView(), LateFrames.TAG))
        .uid("casa-inference");

    text.sinkTo(KafkaSinks.exactlyOnce(options.bootstrapServers(), options.transactionalIdPrefix() + "-text-events",
            new AvroRecordSerializer<>(options.textEventsTopic(), TextEvent.class,
                event -> event.streamId, EmittedText::toTextEvent)).build())
        .name("text events to " + options.textEventsTopic()).uid("text-event-sink");
    text.getSideOutput(LateFrames.TAG)
        .sinkTo(KafkaSinks.exactlyOnce(options.bootstrapServers(), options.transactionalIdPrefix() + "-late-frames",
            new AvroRecordSerializer<>(options.lateFramesTopic(), Frame.class,
                frame -> frame.streamId, LateFrames::toFrame)).build())
        .name("late frames to " + options.lateFramesTopic()).uid("late-frame-sink");
    return text;
  }
}
