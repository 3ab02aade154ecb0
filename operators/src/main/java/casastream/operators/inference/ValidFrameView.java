package casastream.operators.inference;

import casastream.operators.validation.ValidFrame;

/** How the inference operator reads the job's validated frames. */
public final class ValidFrameView implements FrameView<ValidFrame> {

  private static final long serialVersionUID = 1L;

  @Override
  public String streamId(ValidFrame frame) {
    return frame.streamId;
  }

  @Override
  public long sequence(ValidFrame frame) {
    return frame.sequence;
  }

  @Override
  public long captureTimeMillis(ValidFrame frame) {
    return frame.captureTimeMillis;
  }

  @Override
  public byte[] rgb(ValidFrame frame) {
    return frame.rgb;
  }

  @Override
  public String sourceTopic(ValidFrame frame) {
    return frame.sourceTopic;
  }

  @Override
  public int sourcePartition(ValidFrame frame) {
    return frame.sourcePartition;
  }

  @Override
  public long sourceOffset(ValidFrame frame) {
    return frame.sourceOffset;
  }
}
