package casastream.operators.inference;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the operator keeps for one stream, as one keyed-state value: the model's memory (a
 * fixed size, whatever the stream's length), the last processed frame, what was last emitted and
 * when, and the last answer to each standing question. Serialized by {@link StreamStateCodec}.
 */
public final class StreamState {

  /** The last answer to one standing question, and what was last emitted for it. */
  public record Answer(String lastAnswer, String lastEmitted, long lastEmitMillis) {}

  String modelId;
  byte[] memory;
  long lastSequence = -1;
  long lastCaptureMillis;
  long lastSeenMillis;
  String lastEmittedCaption;
  long lastCaptionEmitMillis;
  long framesProcessed;
  final Map<String, Answer> answers = new HashMap<>();

  public static StreamState fresh(String modelId) {
    StreamState state = new StreamState();
    state.modelId = modelId;
    return state;
  }

  /** The memory to pass to the model, or null when there is none or it belongs to another model. */
  public byte[] memoryFor(String currentModelId) {
    return currentModelId.equals(modelId) ? memory : null;
  }

  /** Whether the state holds a memory at all (from whichever model). */
  public boolean hasMemory() {
    return memory != null;
  }

  /** The model whose memory this is. */
  public String modelId() {
    return modelId;
  }

  public void recordFrame(String currentModelId, byte[] newMemory, long sequence, long captureMillis, long nowMillis) {
    modelId = currentModelId;
    memory = newMemory;
    lastSequence = sequence;
    lastCaptureMillis = captureMillis;
    lastSeenMillis = nowMillis;
    framesProcessed++;
  }

  /** Drops the answers of questions no longer asked of this stream, so the value stays bounded. */
  public void retainAnswers(Set<String> queryIds) {
    answers.keySet().retainAll(queryIds);
  }

  public long lastSequence() {
    return lastSequence;
  }

  public long lastCaptureMillis() {
    return lastCaptureMillis;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  public long framesProcessed() {
    return framesProcessed;
  }

  public String lastEmittedCaption() {
    return lastEmittedCaption;
  }

  public Answer answer(String queryId) {
    return answers.get(queryId);
  }
}
