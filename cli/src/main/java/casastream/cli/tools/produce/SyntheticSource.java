package casastream.cli.tools.produce;

import casastream.cli.tools.frames.FrameImages;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A simulated camera: one stream of a synthetic camera world ({@link #worldOf} gives the one a
 * model was trained on), one picture per frame interval of its timeline.
 */
public final class SyntheticSource implements FrameSource {

  private final CameraWorld world;
  private final long frames;
  private final double intervalMillis;
  private long produced;

  /**
   * @param config the camera world
   * @param seed the world stream's seed (900,000 and above are streams the model never trained on)
   * @param frames how many pictures, or 0 for an endless stream
   * @param fps the stream's frame rate, which spaces its timeline
   */
  public SyntheticSource(WorldConfig config, long seed, long frames, double fps) {
    if (frames < 0) {
      throw new IllegalArgumentException("The number of frames must be 0 (endless) or more, was " + frames);
    }
    this.world = new CameraWorld(config, seed);
    this.frames = frames;
    this.intervalMillis = 1000.0 / fps;
  }

  /**
   * The world the model in checkpoint directory {@code model} was trained on (the frame-to-frame or
   * the history world, which its tokenizer selects), or the shipped model's when {@code model} is null.
   */
  public static WorldConfig worldOf(Path model) {
    try {
      return WorldConfig.forModel(model == null ? Checkpoint.readShippedConfig() : Checkpoint.readConfig(model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the config of the model " + (model == null ? "shipped in the jar" : "in " + model)
          + ": " + e.getMessage(), e);
    }
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
