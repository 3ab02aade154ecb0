package casastream.operators.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.FusionContext;
import casastream.model.FusionLayout;
import casastream.model.MemoryPrecision;
import casastream.model.checkpoint.SafeTensors;
import casastream.model.nn.NoGrad;
import casastream.model.text.WorldTokenizer;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.CasaInferenceOperator;
import casastream.operators.inference.EmittedText;
import casastream.operators.inference.InferenceSettings;
import casastream.operators.inference.LateFrames;
import casastream.operators.inference.ValidFrameView;
import casastream.operators.queries.EmitPolicy;
import casastream.operators.validation.ValidFrame;
import casastream.schemas.AnswerMode;
import casastream.schemas.AvroCodec;
import casastream.schemas.OnChange;
import casastream.schemas.QueryAction;
import casastream.schemas.StandingQuery;
import casastream.schemas.StreamIdList;
import casastream.schemas.TextEventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input that passes validation and reaches the inference operator (a real CASA model, tiny
 * and seeded, on RocksDB state): duplicate and backwards sequence numbers, time going backwards,
 * standing queries that are not Avro, of an unknown schema, invalid, removing what was never
 * added, or asking in words the model never saw. Frames out of order go to the late output; bad
 * queries are ignored; the unknown words get an answer; the operator keeps running; a
 * well-behaved stream's captions are exactly those of a run without the hostile input.
 */
class HostileStreamInputTest {

  private static final long T0 = 1_764_000_000_000L;
  private static final String GOOD = "cam-good";
  private static final String HOSTILE = "cam-hostile";

  @TempDir static Path checkpoint;
  private static CasaConfig config;

  @BeforeAll
  static void saveATinyModel() throws Exception {
    WorldTokenizer tokenizer = WorldTokenizer.instance();
    config = new CasaConfig(CasaConfig.FORMAT_VERSION, 16, 8, 4, 32, 2, 2, 1, 2,
        FusionLayout.PARALLEL, 2, false, FusionContext.TEXT_AND_IMAGE, false,
        3, 2, 4, 4, 16, tokenizer.vocabSize(), tokenizer.name(), MemoryPrecision.FP32, 10_000);
    try (CasaModel created = CasaModel.create(config, 11)) {
      // Scaled up, a random model's text depends on its frame and memory.
      try (NoGrad ignored = NoGrad.enter()) { // in-place updates of parameters
        for (Map.Entry<String, NDArray> parameter : created.parameters().all().entrySet()) {
          if (!parameter.getKey().contains("norm")) {
            parameter.getValue().muli(10f);
          }
        }
      }
      created.save(checkpoint, SafeTensors.DType.F32);
    }
  }

  @Test
  void outOfOrderFramesGoLateAndBadQueriesAreIgnoredWhileTheOtherStreamCarriesOn()
      throws Exception {
    var clean = open();
    List<String> cleanCaptions;
    try {
      for (int sequence = 0; sequence < 4; sequence++) {
        frame(clean, GOOD, sequence, T0 + 1000L * sequence);
      }
      cleanCaptions = captions(clean, GOOD);
    } finally {
      clean.close();
    }
    assertThat(cleanCaptions).hasSize(4);

    var harness = open();
    try {
      frame(harness, HOSTILE, 0, T0);
      frame(harness, GOOD, 0, T0);
      frame(harness, HOSTILE, 0, T0);
      harness.processElement2(new StreamRecord<>(CorpusFrames.utf8("{\"queryId\": \"q\"}")));
      frame(harness, GOOD, 1, T0 + 1000);
      frame(harness, HOSTILE, 5, T0 + 5000);
      byte[] unknownSchema = AvroCodec.standingQueries().encode(query("q-other", "is there a red square?"));
      unknownSchema[4] ^= 0x21;
      harness.processElement2(new StreamRecord<>(unknownSchema));
      harness.processElement2(new StreamRecord<>(
          AvroCodec.standingQueries().encode(query("q-empty", " "))));
      harness.processElement2(new StreamRecord<>(AvroCodec.standingQueries().encode(
          StandingQuery.newBuilder(query("q-never-added", "is there a red square?"))
              .setAction(QueryAction.REMOVE).build())));
      harness.processElement2(new StreamRecord<>(AvroCodec.standingQueries().encode(
          StandingQuery.newBuilder(query("q-oov", "is a unicorn dancing near the loading bay today?"))
              .setStreams(StreamIdList.newBuilder().setStreamIds(List.of(HOSTILE)).build()).build())));
      frame(harness, HOSTILE, 3, T0 + 6000);
      frame(harness, GOOD, 2, T0 + 2000);
      frame(harness, HOSTILE, 6, T0 + 4000);
      frame(harness, HOSTILE, 5, T0 + 7000);
      frame(harness, GOOD, 3, T0 + 3000);
      frame(harness, HOSTILE, 7, T0 + 8000);

      assertThat(harness.getSideOutput(LateFrames.TAG))
          .extracting(r -> r.getValue().streamId + "/" + r.getValue().sequence)
          .containsExactly(HOSTILE + "/0", HOSTILE + "/3", HOSTILE + "/6", HOSTILE + "/5");
      assertThat(captions(harness, HOSTILE)).hasSize(3);
      assertThat(captions(harness, GOOD)).isEqualTo(cleanCaptions);
      assertThat(harness.extractOutputValues()).filteredOn(e -> e.kind == TextEventKind.ANSWER)
          .extracting(e -> e.streamId + "/" + e.frameSequence + "/" + e.queryId)
          .as("only the valid query, with words the model never saw, is answered")
          .containsExactly(HOSTILE + "/7/q-oov");
    } finally {
      harness.close();
    }
  }

  /** One stream per batch step, so that both runs make exactly the same model calls for the good stream. */
  private static Harness open() throws Exception {
    InferenceSettings settings = InferenceSettings.builder()
        .maxBatchSize(1)
        .maxWait(Duration.ofMillis(100))
        .maxFrameAge(Duration.ZERO)
        .idleTimeout(Duration.ofMinutes(10))
        .captionPolicy(EmitPolicy.everyFrame())
        .modelLinger(Duration.ZERO)
        .build();
    CasaInferenceOperator<ValidFrame> operator = new CasaInferenceOperator<>(settings,
        CasaFrameModelFactory.fromCheckpoint(checkpoint), new ValidFrameView(), LateFrames.TAG);
    Harness harness = new Harness(operator);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.setProcessingTime(T0);
    harness.open();
    return harness;
  }

  private static void frame(Harness harness, String stream, long sequence, long captureMillis)
      throws Exception {
    ValidFrame frame = new ValidFrame();
    frame.streamId = stream;
    frame.sequence = sequence;
    frame.captureTimeMillis = captureMillis;
    frame.sourceTopic = "frames";
    frame.width = config.imageSize();
    frame.height = config.imageSize();
    frame.rgb = new byte[3 * frame.width * frame.height];
    new Random(31L * sequence + stream.length()).nextBytes(frame.rgb);
    harness.processElement1(new StreamRecord<>(frame));
  }

  private static List<String> captions(Harness harness, String stream) {
    List<String> captions = new ArrayList<>();
    for (EmittedText event : harness.extractOutputValues()) {
      if (event.kind == TextEventKind.CAPTION && event.streamId.equals(stream)) {
        captions.add(event.frameSequence + ": " + event.text);
      }
    }
    return captions;
  }

  /** The operator on Flink's two-input test harness, frames keyed by stream id. */
  private static final class Harness
      extends KeyedTwoInputStreamOperatorTestHarness<String, ValidFrame, byte[], EmittedText> {
    Harness(CasaInferenceOperator<ValidFrame> operator) throws Exception {
      super(operator, (KeySelector<ValidFrame, String>) frame -> frame.streamId, null, Types.STRING);
    }
  }

  private static StandingQuery query(String id, String question) {
    return StandingQuery.newBuilder()
        .setQueryId(id)
        .setStreams(StreamIdList.newBuilder().setStreamIds(List.of(HOSTILE, GOOD)).build())
        .setQuestion(question)
        .setAnswerMode(AnswerMode.YES_NO)
        .setEmitPolicy(new OnChange())
        .build();
  }
}
