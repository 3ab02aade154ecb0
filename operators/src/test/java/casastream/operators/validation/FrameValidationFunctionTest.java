package casastream.operators.validation;

import static casastream.operators.validation.TestFrames.frame;
import static casastream.operators.validation.TestFrames.record;
import static org.assertj.core.api.Assertions.assertThat;

import casastream.operators.kafka.RawKafkaRecord;
import casastream.schemas.DeadLetterReason;
import casastream.schemas.FrameEncoding;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harness's close() declares InterruptedException
class FrameValidationFunctionTest {

  @Test
  void validFramesGoOnAndRefusedRecordsGoToTheDeadLetterSideOutput() throws Exception {
    RawKafkaRecord good = record(frame(FrameEncoding.PNG, 16, 16, TestFrames.png(16, 16)).build());
    RawKafkaRecord notAvro = record("cam-7", new byte[] {1, 2, 3});
    RawKafkaRecord wrongSize = record(frame(FrameEncoding.RAW_RGB, 4, 4, new byte[5]).build());
    wrongSize.offset = 18;

    try (OneInputStreamOperatorTestHarness<RawKafkaRecord, ValidFrame> harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new FrameValidationFunction(ValidationOptions.defaults()))) {
      harness.setProcessingTime(TestFrames.NOW);
      harness.processElement(good, 1);
      harness.processElement(notAvro, 2);
      harness.processElement(wrongSize, 3);

      assertThat(harness.extractOutputValues()).extracting(f -> f.streamId).containsExactly("cam-7");
      List<RejectedFrame> rejected = harness.getSideOutput(FrameValidationFunction.DEAD_LETTERS).stream()
          .map(StreamRecord::getValue).collect(Collectors.toList());
      assertThat(rejected).extracting(r -> r.reason)
          .containsExactly(DeadLetterReason.NOT_AVRO, DeadLetterReason.RAW_SIZE_MISMATCH);
      assertThat(rejected.get(0).originalBytes).containsExactly(1, 2, 3);
      assertThat(rejected.get(0).streamId).isNull();
      assertThat(rejected.get(1).streamId).isEqualTo("cam-7");
      assertThat(rejected.get(1).sourceOffset).isEqualTo(18);
    }
  }

  @Test
  void theCaptureTimeIsJudgedAgainstTheOperatorsProcessingTime() throws Exception {
    RawKafkaRecord record = record(frame(FrameEncoding.PNG, 16, 16, TestFrames.png(16, 16)).build());

    try (OneInputStreamOperatorTestHarness<RawKafkaRecord, ValidFrame> harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new FrameValidationFunction(ValidationOptions.defaults()))) {
      // An hour before the frame was captured: the frame looks like it comes from the future.
      harness.setProcessingTime(TestFrames.NOW - 3_600_000);
      harness.processElement(record, 1);

      assertThat(harness.extractOutputValues()).isEmpty();
      assertThat(harness.getSideOutput(FrameValidationFunction.DEAD_LETTERS))
          .extracting(r -> r.getValue().reason).containsExactly(DeadLetterReason.CAPTURE_TIME_IN_FUTURE);
    }
  }

  @Test
  void countersTrackValidFramesAndDeadLettersByReason() throws Exception {
    Map<String, Counter> counters = new ConcurrentHashMap<>();
    TestingMetricRegistry registry = TestingMetricRegistry.builder()
        .setRegisterConsumer((metric, name, group) -> {
          if (metric instanceof Counter counter) {
            counters.put(name + "/" + group.getAllVariables().getOrDefault("<reason>", ""), counter);
          }
        })
        .build();
    TaskMetricGroup task = TaskManagerMetricGroup
        .createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate())
        .addJob(new JobID(), "job")
        .addTask(ExecutionAttemptID.randomId(), "validate");
    MockEnvironment environment = new MockEnvironmentBuilder().setMetricGroup(task).build();
    RawKafkaRecord good = record(frame(FrameEncoding.PNG, 16, 16, TestFrames.png(16, 16)).build());

    try (OneInputStreamOperatorTestHarness<RawKafkaRecord, ValidFrame> harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new FrameValidationFunction(ValidationOptions.defaults())), environment)) {
      harness.open();
      harness.setProcessingTime(TestFrames.NOW);
      harness.processElement(good, 1);
      harness.processElement(good, 2);
      harness.processElement(record("cam-7", new byte[] {1}), 3);

      assertThat(counters.get("framesValid/").getCount()).isEqualTo(2);
      assertThat(counters.get("deadLetters/NOT_AVRO").getCount()).isEqualTo(1);
      assertThat(counters.get("deadLetters/EMPTY_IMAGE").getCount()).isZero();
    }
  }

  @Test
  void framesAndDeadLettersTravelAsPojosNotKryo() {
    assertThat(TypeInformation.of(ValidFrame.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(RejectedFrame.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(RawKafkaRecord.class)).isInstanceOf(PojoTypeInfo.class);
  }
}
