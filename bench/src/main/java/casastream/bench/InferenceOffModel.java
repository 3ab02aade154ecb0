package casastream.bench;

import casastream.operators.inference.FrameModel;
import casastream.operators.inference.FrameModelFactory;
import casastream.operators.inference.StreamRequest;
import casastream.operators.inference.StreamResult;
import casastream.operators.runtime.ComputeDevice;
import casastream.model.memory.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The job with inference switched off: the operator's batching, keyed state, emission and the
 * exactly-once sinks all run, but a step only hands each stream's memory back (a memory of the real
 * model's size, so RocksDB moves the same bytes). What the job costs beyond reading Kafka is then
 * measured without the model's time in it.
 *
 * <p>A new stream's memory is filled with fp16 numbers drawn like a real memory's activations
 * (normal, seeded by the stream), not zeros: a zero memory compresses to almost nothing in RocksDB
 * and would make the state look far cheaper than a real one.
 */
final class InferenceOffModel implements FrameModel {

  static final String CAPTION = "inference off";

  private final int imageSize;
  private final int memoryBytes;
  private long created;

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
      byte[] memory = request.memory() == null ? freshMemory(results.size()) : request.memory();
      List<String> answers = Collections.nCopies(request.questions().size(), "no");
      results.add(new StreamResult(CAPTION, List.of(), answers, memory));
    }
    return results;
  }

  /** fp16 values of a unit normal, little-endian, seeded per call so runs repeat. */
  private byte[] freshMemory(int salt) {
    byte[] memory = new byte[memoryBytes];
    Random random = new Random(31L * ++created + salt);
    ByteBuffer out = ByteBuffer.wrap(memory).order(ByteOrder.LITTLE_ENDIAN);
    while (out.remaining() >= Short.BYTES) {
      out.putShort(HalfFloat.fromFloat((float) random.nextGaussian()));
    }
    return memory;
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
