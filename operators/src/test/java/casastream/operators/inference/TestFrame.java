package casastream.operators.inference;

/** A decoded frame as the tests feed it: the pixel bytes carry a marker the test model reads back. */
record TestFrame(String streamId, long sequence, long captureMillis, byte[] rgb) {

  /** A 2x2 frame whose first pixel byte is the sequence and whose second says yes (even) or no (odd). */
  static TestFrame of(String streamId, long sequence, long captureMillis, int answerBit) {
    byte[] rgb = new byte[2 * 2 * 3];
    rgb[0] = (byte) sequence;
    rgb[1] = (byte) answerBit;
    return new TestFrame(streamId, sequence, captureMillis, rgb);
  }

  static final class View implements FrameView<TestFrame> {
    private static final long serialVersionUID = 1L;

    @Override
    public String streamId(TestFrame frame) {
      return frame.streamId();
    }

    @Override
    public long sequence(TestFrame frame) {
      return frame.sequence();
    }

    @Override
    public long captureTimeMillis(TestFrame frame) {
      return frame.captureMillis();
    }

    @Override
    public byte[] rgb(TestFrame frame) {
      return frame.rgb();
    }
  }
}
