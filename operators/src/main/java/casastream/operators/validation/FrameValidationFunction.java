package casastream.operators.validation;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The pipeline's parse-and-validate stage: Kafka records in, {@link ValidFrame}s out, and every
 * refused record to the {@link #DEAD_LETTERS} side output with its reason. Never fails on bad
 * input. Metrics: {@code framesValid}, and {@code deadLetters} in a group {@code reason=<REASON>}
 * per reason.
 */
public class FrameValidationFunction extends ProcessFunction<RawKafkaRecord, ValidFrame> {

  private static final long serialVersionUID = 1L;

  /** Refused records, one per refused input, for the dead-letter topic. */
  public static final OutputTag<RejectedFrame> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(RejectedFrame.class));

  private final ValidationOptions options;
  private transient FrameValidator validator;
  private transient Counter framesValid;
  private transient Map<DeadLetterReason, Counter> deadLetters;

  public FrameValidationFunction(ValidationOptions options) {
    this.options = options;
  }

  @Override
  public void open(OpenContext openContext) {
    validator = new FrameValidator(options);
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    framesValid = metrics.counter("framesValid");
    deadLetters = new EnumMap<>(DeadLetterReason.class);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(reason, metrics.addGroup("reason", reason.name()).counter("deadLetters"));
    }
  }

  @Override
  public void processElement(RawKafkaRecord record, Context context, Collector<ValidFrame> out) {
    try {
      out.collect(validator.validate(record, context.timerService().currentProcessingTime()));
      framesValid.inc();
    } catch (FrameRejection rejection) {
      context.output(DEAD_LETTERS, RejectedFrame.of(record, rejection));
      deadLetters.get(rejection.reason()).inc();
    }
  }
}
