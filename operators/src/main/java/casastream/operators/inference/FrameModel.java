package casastream.operators.inference;

import casastream.operators.runtime.ComputeDevice;
import java.util.List;

/**
 * What the inference operator needs of a vision-language model: one batched step over many
 * streams. Implementations must be safe for concurrent {@link #step} calls, since all slots of a
 * TaskManager share one instance.
 */
public interface FrameModel extends AutoCloseable {

  /** Identifies the weights; stored with each stream's memory so that a model change is detected. */
  String modelId();

  /** Where the model actually runs (which may differ from the device it was asked for). */
  ComputeDevice device();

  /** Frames are RGB, {@code imageSize x imageSize}. */
  int imageSize();

  /**
   * Runs one frame of each stream, all in one batch.
   *
   * @return one result per request, in the same order
   */
  List<StreamResult> step(List<StreamRequest> requests);

  /**
   * Captions and events texts this model instance decoded so far (two per frame), across every
   * caller: with {@link #draftsTaken} it tells how often a stream's last text was confirmed as its
   * next. Zero for a model that does not count them.
   */
  default long textsDecoded() {
    return 0;
  }

  /** Of {@link #textsDecoded}, those taken whole from the stream's last text, confirmed in one pass. */
  default long draftsTaken() {
    return 0;
  }

  /** Frees the model's native memory; no exception is expected, so none is declared. */
  @Override
  void close();
}
