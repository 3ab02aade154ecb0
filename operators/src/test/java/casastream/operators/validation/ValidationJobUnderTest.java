package casastream.operators.validation;

import casastream.operators.kafka.AvroRecordSerializer;
import casastream.operators.kafka.KafkaSinks;
import casastream.operators.kafka.KafkaSources;
import casastream.schemas.DeadLetter;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The validation stage between real topics, as the end-to-end tests run it: frames read from a
 * topic up to its end offsets, validated at parallelism 2 on RocksDB with checkpoints, dead letters
 * and valid frames written by exactly-once sinks. Each test chooses its restart policy, what
 * happens to valid frames before their sink (e.g. an injected failure) and how they are written.
 *
 * @param bootstrapServers  the broker
 * @param name              job name and prefix of the consumer group and transactional ids
 * @param framesTopic       input
 * @param deadLetterTopic   output for refused frames
 * @param options           the validation stage's settings
 * @param checkpointInterval how often checkpoints (and so the sinks' commits) happen
 * @param restarts          how many restarts a failure may take (0: the first failure fails the job)
 */
public record ValidationJobUnderTest(String bootstrapServers, String name, String framesTopic,
                                     String deadLetterTopic, ValidationOptions options,
                                     Duration checkpointInterval, int restarts) {

  /** Builds the job and runs it to the end of the input. */
  public JobExecutionResult run(UnaryOperator<DataStream<ValidFrame>> beforeSink,
                                KafkaRecordSerializationSchema<ValidFrame> validRecords) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration());
    env.setParallelism(2);
    SingleOutputStreamOperator<ValidFrame> valid = env
        .fromSource(KafkaSources.rawRecords(bootstrapServers, name + "-validation", framesTopic)
                .setBounded(OffsetsInitializer.latest())
                .build(),
            WatermarkStrategy.noWatermarks(), "frames")
        .process(new FrameValidationFunction(options))
        .name("validate");
    valid.getSideOutput(FrameValidationFunction.DEAD_LETTERS)
        .sinkTo(KafkaSinks.exactlyOnce(bootstrapServers, name + "-dlq",
            new AvroRecordSerializer<>(deadLetterTopic, DeadLetter.class, r -> r.streamId, RejectedFrame::toDeadLetter))
            .build())
        .name("dead letters");
    beforeSink.apply(valid)
        .sinkTo(KafkaSinks.exactlyOnce(bootstrapServers, name + "-valid", validRecords).build())
        .name("valid frames");
    return env.execute(name);
  }

  private Configuration configuration() {
    Configuration config = new Configuration();
    config.setString("state.backend.type", "rocksdb");
    config.setString("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
    if (restarts == 0) {
      config.setString("restart-strategy.type", "none");
    } else {
      config.setString("restart-strategy.type", "fixed-delay");
      config.setString("restart-strategy.fixed-delay.attempts", Integer.toString(restarts));
      config.setString("restart-strategy.fixed-delay.delay", "100 ms");
    }
    return config;
  }
}
