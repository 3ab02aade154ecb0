package casastream.cli.tools.produce;

import java.util.Optional;

/** Pictures of one stream, in order: a video file, a folder of images, or the synthetic world. */
public interface FrameSource extends AutoCloseable {

  /** The next picture, or empty at the end of the source. */
  Optional<SourceImage> next();

  /** How many pictures the source holds, or -1 when unknown or endless. */
  long expectedImages();

  /** What the source is, for messages ("video cam.mp4"). */
  String describe();

  @Override
  void close();
}
