package casastream.cli.tools.produce;

import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Optional;

/**
 * A simulated camera: one stream of the synthetic camera world the model was trained on, one
 * picture per frame interval of its timeline.
 */
public final class SyntheticSource implements FrameSource {

  private final CameraWorld world;
  private final long frames;
  private final double intervalMillis;
  private long produced;

  /**
   * @param seed the world stream's seed (900,000 and above are streams the model never trained on)
   * @param frames how many pictures, or 0 for an endless stream
   * @param fps the stream's frame rate, which spaces its timeline
   */
  public SyntheticSource(long seed, long frames, double fps) {
    if (frames < 0) {
      throw new IllegalArgumentException("The number of frames must be 0 (endless) or more, was " + frames);
    }
    this.world = new CameraWorld(WorldConfig.defaults(), seed);
    this.frames = frames;
    this.intervalMillis = 1000.0 / fps;
  }

  @Override
  public Optional<SourceImage> next() {
    if (frames > 0 && produced >= frames) {
      return Optional.empty();
    }
    WorldFrame frame = world.next();
    long media = Math.round(produced * intervalMillis);
    produced++;
    return Optional.of(new SourceImage(toImage(frame), media));
  }

  @Override
  public long expectedImages() {
    return frames == 0 ? -1 : frames;
  }

  @Override
  public String describe() {
    return "synthetic camera (seed " + world.seed() + ")";
  }

  @Override
  public void close() {}

  /** HWC RGB bytes to a BGR-ordered Java image, pixel for pixel. */
  static BufferedImage toImage(WorldFrame frame) {
    BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    byte[] rgb = frame.rgb();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return image;
  }
}
