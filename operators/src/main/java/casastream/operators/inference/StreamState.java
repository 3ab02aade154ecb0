package casastream.operators.inference;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the operator keeps for one stream, as one keyed-state value: the model's memory (a
 * fixed size, whatever the stream's length), the last processed frame, what was last emitted and
 * when, the last answer to each standing question, and where the stream's latest frames lie in
 * Kafka (a bounded ring, for the frame range an ALERT carries). Serialized by {@link StreamStateCodec}.
 */
public final class StreamState {

  /** How many of a stream's latest frame offsets are kept: the most frames an ALERT's range covers. */
  public static final int RECENT_FRAMES = 32;

  /**
   * The last answer to one standing question, what was last emitted for it, and for how many
   * consecutive frames (counting the one that set it) the answer has held.
   */
  public record Answer(String lastAnswer, String lastEmitted, long lastEmitMillis, int framesHeld) {

    /** An answer whose run length is not known (1: only its own frame). */
    public Answer(String lastAnswer, String lastEmitted, long lastEmitMillis) {
      this(lastAnswer, lastEmitted, lastEmitMillis, 1);
    }
  }

  String modelId;
  byte[] memory;
  long lastSequence = -1;
  long lastCaptureMillis;
  long lastSeenMillis;
  String lastEmittedCaption;
  long lastCaptionEmitMillis;
  long framesProcessed;
  final Map<String, Answer> answers = new HashMap<>();
  /** Topic and partition of the offsets in {@link #recentOffsets}; null: none kept yet. */
  String offsetsTopic;
  int offsetsPartition = -1;
  /** Offsets of the stream's latest frames, oldest first; {@link #recentCount} of them are valid. */
  final long[] recentOffsets = new long[RECENT_FRAMES];
  int recentCount;

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

  /**
   * Remembers where the stream's latest frame lies. A frame from another topic or partition than
   * the ones before (the frames topic was re-partitioned) starts the ring afresh, so a range never
   * mixes partitions.
   */
  public void recordOffset(String topic, int partition, long offset) {
    if (!Objects.equals(topic, offsetsTopic) || partition != offsetsPartition) {
      offsetsTopic = topic;
      offsetsPartition = partition;
      recentCount = 0;
    }
    if (recentCount == RECENT_FRAMES) {
      System.arraycopy(recentOffsets, 1, recentOffsets, 0, RECENT_FRAMES - 1);
      recentCount--;
    }
    recentOffsets[recentCount++] = offset;
  }

  /** How many of the latest frames' offsets are known (at most {@link #RECENT_FRAMES}). */
  public int recentFrames() {
    return recentCount;
  }

  /** The offset of the frame {@code back} frames before the latest one (0: the latest). */
  public long recentOffset(int back) {
    if (back < 0 || back >= recentCount) {
      throw new IndexOutOfBoundsException("Only " + recentCount + " recent offsets are kept, asked for " + back);
    }
    return recentOffsets[recentCount - 1 - back];
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
