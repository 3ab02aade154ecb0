package casastream.cli.tools.produce;

import casastream.cli.tools.frames.FrameImages;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
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
    return Optional.of(new SourceImage(FrameImages.toImage(frame.rgb(), frame.width(), frame.height()), media));
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
}
