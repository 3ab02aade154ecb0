package casastream.bench;

import casastream.model.CasaModel;
import casastream.operators.inference.CasaFrameModel;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of the inference path goes: Java Flight Recorder samples the stepping thread
 * while batches run, in Java code (jdk.ExecutionSample) and inside native calls
 * (jdk.NativeMethodSample, which is where every PyTorch op runs). Samples are counted by the
 * innermost frame (which op or Java method) and by the model stage on the stack.
 */
public final class ProfileBenchmark implements Benchmark {

  private static final long SEED = 23;
  private static final int BATCH = 64;
  private static final int TOP = 12;

  /** Stages in the order they are checked: the first one on the stack claims the sample. */
  private static final Map<String, String> STAGES = stages();

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public String description() {
    return "JFR samples of the inference path at batch 64: top frames and time per model stage";
  }

  private static Map<String, String> stages() {
    Map<String, String> stages = new LinkedHashMap<>();
    stages.put("casastream.model.nn.VisionEncoder", "vision encoder");
    stages.put("casastream.model.nn.CasaDecoder.beginFrame", "decoder: memory and image into the cache");
    stages.put("casastream.model.nn.CasaDecoder.logits", "decoder: output head and argmax");
    stages.put("casastream.model.decode.GreedyDecoder.lastArgMax", "decoder: output head and argmax");
    stages.put("casastream.model.nn.Ops.causalBias", "decoder: attention masks");
    stages.put("casastream.model.nn.CasaLayer", "decoder: layers");
    stages.put("casastream.model.nn.CasaDecoder.forward", "decoder: embedding, norm, bookkeeping");
    stages.put("casastream.model.nn.WindowState", "memory: ring update");
    stages.put("casastream.model.memory", "memory: tensors <-> bytes");
    stages.put("casastream.model.decode.GreedyDecoder", "decoder: greedy loop (token arrays)");
    return stages;
  }

  @Override
  public BenchResult run(BenchContext context) throws IOException {
    double seconds = context.quick() ? 4 : 20;
    Path file = Files.createTempFile("casa-bench-", ".jfr");
    BatchRunner.Throughput throughput;
    try (CasaModel model = context.model().open();
         CasaFrameModel frameModel = new CasaFrameModel(model, "bench", context.decoding())) {
      BatchRunner runner = new BatchRunner(frameModel, model.tokenizer(), model.config(), BATCH, SEED);
      runner.measure(2, 1, 0);
      try (Recording recording = new Recording()) {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        recording.start();
        throughput = runner.measure(0, 3, seconds);
        recording.stop();
        recording.dump(file);
      }
    }
    Map<String, Integer> frames = new LinkedHashMap<>();
    Map<String, Integer> stages = new LinkedHashMap<>();
    int total = 0;
    int nativeSamples = 0;
    String thread = Thread.currentThread().getName();
    try {
      for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty() || event.getThread("sampledThread") == null
            || !thread.equals(event.getThread("sampledThread").getJavaName())) {
          continue;
        }
        total++;
        boolean inNative = event.getEventType().getName().equals("jdk.NativeMethodSample");
        nativeSamples += inNative ? 1 : 0;
        frames.merge(method(stack.getFrames().get(0)) + (inNative ? " [native]" : ""), 1, Integer::sum);
        stages.merge(stage(stack.getFrames()), 1, Integer::sum);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    BenchResult result = new BenchResult(name())
        .parameter("model", context.model().describe())
        .parameter("batch", BATCH)
        .parameter("seconds", seconds)
        .parameter("sampling", "JFR jdk.ExecutionSample + jdk.NativeMethodSample every 10 ms, stepping thread only")
        .figure("frames_per_second_while_profiled", throughput.framesPerSecond())
        .figure("samples", total)
        .figure("native_share", total == 0 ? 0 : (double) nativeSamples / total);
    result.figure("top_frames", shares(frames, total, TOP));
    result.figure("stages", shares(stages, total, stages.size()));
    result.row("innermost frame / stage", "share of samples");
    for (Map.Entry<String, Integer> e : sorted(frames).subList(0, Math.min(TOP, frames.size()))) {
      result.row(e.getKey(), percent(e.getValue(), total));
    }
    result.row("-- by stage --", "");
    for (Map.Entry<String, Integer> e : sorted(stages)) {
      result.row(e.getKey(), percent(e.getValue(), total));
    }
    result.note("A [native] frame is a PyTorch op (or other native call) in progress; each op is one JNI call"
        + " per greedy step, so its share shows per-op cost, not arithmetic alone.");
    return result;
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName().replaceFirst("^.*\\.", "") + "." + frame.getMethod().getName();
  }

  private static String stage(List<RecordedFrame> stack) {
    for (Map.Entry<String, String> stage : STAGES.entrySet()) {
      for (RecordedFrame frame : stack) {
        String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        if (name.startsWith(stage.getKey())) {
          return stage.getValue();
        }
      }
    }
    return "other (request building, world frames, JVM)";
  }

  private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList();
  }

  private static ObjectNode shares(Map<String, Integer> counts, int total, int limit) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    sorted(counts).stream().limit(limit)
        .forEach(e -> json.put(e.getKey(), total == 0 ? 0 : Math.round(1000.0 * e.getValue() / total) / 1000.0));
    return json;
  }

  private static String percent(int count, int total) {
    return String.format("%.1f%%", total == 0 ? 0 : 100.0 * count / total);
  }
}
