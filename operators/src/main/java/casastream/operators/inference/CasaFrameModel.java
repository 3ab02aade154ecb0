package casastream.operators.inference;

import ai.djl.Device;
import casastream.model.CasaInference;
import casastream.model.CasaModel;
import casastream.model.StreamInput;
import casastream.model.StreamOutput;
import casastream.model.decode.Decoding;
import casastream.model.memory.MemoryFormatException;
import casastream.model.memory.StreamMemory;
import casastream.operators.runtime.ComputeDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CASA model behind the operator's {@link FrameModel} interface: each batch step is one
 * {@link CasaInference#step} call (all streams' frames encoded, their memories stacked, caption,
 * events and answers decoded greedily for the whole batch), translated to the operator's types.
 */
public final class CasaFrameModel implements FrameModel {

  private static final Logger LOG = LoggerFactory.getLogger(CasaFrameModel.class);

  /** The model's events text when nothing happened. */
  static final String NO_EVENTS = "none";

  private final CasaModel model;
  private final CasaInference inference;
  private final String modelId;

  /**
   * @param modelId identifies the weights (stored with each stream's memory)
   */
  public CasaFrameModel(CasaModel model, String modelId) {
    this(model, modelId, Decoding.DRAFT);
  }

  /** A model that decodes as {@code decoding} says (the texts are the same either way). */
  public CasaFrameModel(CasaModel model, String modelId, Decoding decoding) {
    this.model = model;
    this.inference = new CasaInference(model, decoding);
    this.modelId = modelId;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public ComputeDevice device() {
    Device device = model.manager().getDevice();
    return device.isGpu() ? ComputeDevice.gpu(device.getDeviceId()) : ComputeDevice.CPU;
  }

  @Override
  public int imageSize() {
    return model.config().imageSize();
  }

  @Override
  public long textsDecoded() {
    return inference.textsDecoded();
  }

  @Override
  public long draftsTaken() {
    return inference.draftsTaken();
  }

  @Override
  public List<StreamResult> step(List<StreamRequest> requests) {
    List<StreamInput> inputs = new ArrayList<>(requests.size());
    for (StreamRequest request : requests) {
      inputs.add(new StreamInput(request.memory(), request.rgb(), request.questions()));
    }
    List<StreamOutput> outputs;
    boolean[] reset = new boolean[inputs.size()];
    try {
      outputs = inference.step(inputs);
    } catch (MemoryFormatException e) {
      outputs = inference.step(withUnreadableMemoriesReset(inputs, reset));
    }
    List<StreamResult> results = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      results.add(toResult(outputs.get(i), requests.get(i).questions(), reset[i]));
    }
    return results;
  }

  /**
   * The inputs with every unreadable memory replaced by a fresh one: one stream losing its history
   * is better than a whole batch, and the job, failing on every retry.
   */
  private List<StreamInput> withUnreadableMemoriesReset(List<StreamInput> inputs, boolean[] reset) {
    List<StreamInput> checked = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      StreamInput input = inputs.get(i);
      StreamInput usable = input;
      if (input.memory() != null) {
        try {
          StreamMemory.fromBytes(model.config(), input.memory());
        } catch (MemoryFormatException e) {
          LOG.warn("A stream's memory could not be read ({}); the stream starts with a fresh memory", e.getMessage());
          usable = new StreamInput(null, input.rgb(), input.questions());
          reset[i] = true;
        }
      }
      checked.add(usable);
    }
    return checked;
  }

  private static StreamResult toResult(StreamOutput output, List<String> questions, boolean memoryReset) {
    String events = output.events() == null ? "" : output.events().trim();
    List<String> eventTexts = events.isEmpty() || NO_EVENTS.equals(events) ? List.of() : List.of(events);
    Map<String, Boolean> answers = output.answers();
    List<String> answerTexts = new ArrayList<>(questions.size());
    for (String question : questions) {
      Boolean yes = answers.get(question);
      if (yes == null) {
        throw new IllegalStateException("The model gave no answer to '" + question + "'");
      }
      answerTexts.add(yes ? "yes" : "no");
    }
    return new StreamResult(output.caption(), eventTexts, answerTexts, output.memory(), memoryReset);
  }

  @Override
  public void close() {
    model.close();
  }
}
