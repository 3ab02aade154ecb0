package casastream.jobs.bench;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.runtime.ComputeDevice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The job with inference switched off: the operator's batching, keyed state, emission and the
 * exactly-once sinks all run, but a step only hands each stream's memory back (a memory of the real
 * model's size, so RocksDB moves the same bytes). What the job costs beyond reading Kafka is then
 * measured without the model's time in it.
 */
final class InferenceOffModel implements FrameModel {

  static final String CAPTION = "inference off";

  private final int imageSize;
  private final int memoryBytes;

  InferenceOffModel(int imageSize, int memoryBytes) {
    this.imageSize = imageSize;
    this.memoryBytes = memoryBytes;
  }

  @Override
  public String modelId() {
    return "inference-off";
  }

  @Override
  public ComputeDevice device() {
    return ComputeDevice.CPU;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public List<StreamResult> step(List<StreamRequest> requests) {
    List<StreamResult> results = new ArrayList<>(requests.size());
    for (StreamRequest request : requests) {
      byte[] memory = request.memory() == null ? new byte[memoryBytes] : request.memory();
      List<String> answers = Collections.nCopies(request.questions().size(), "no");
      results.add(new StreamResult(CAPTION, List.of(), answers, memory));
    }
    return results;
  }

  @Override
  public void close() {
    // holds no native memory
  }

  /** Ships the switch-off with the job graph. */
  static final class Factory implements FrameModelFactory {

    private static final long serialVersionUID = 1L;

    private final int imageSize;
    private final int memoryBytes;

    Factory(int imageSize, int memoryBytes) {
      this.imageSize = imageSize;
      this.memoryBytes = memoryBytes;
    }

    @Override
    public String modelKey() {
      return "inference-off:" + imageSize + ":" + memoryBytes;
    }

    @Override
    public int engineGpuCount() {
      return 0;
    }

    @Override
    public int imageSize() {
      return imageSize;
    }

    @Override
    public FrameModel load(ComputeDevice device) {
      return new InferenceOffModel(imageSize, memoryBytes);
    }
  }
}
