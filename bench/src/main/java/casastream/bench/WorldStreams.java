package casastream.bench;

import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;

/**
 * Camera streams from the synthetic world at the model's frame size, one seeded world per stream,
 * so every run sees the same frames: what benchmarks feed the model instead of random pixels.
 */
final class WorldStreams {

  private final CameraWorld[] worlds;

  WorldStreams(int imageSize, int streams, long seed) {
    WorldConfig config = WorldConfig.defaults().scaledTo(imageSize, imageSize);
    worlds = new CameraWorld[streams];
    for (int s = 0; s < streams; s++) {
      worlds[s] = new CameraWorld(config, seed + s);
    }
  }

  /** The next frame of stream {@code stream}, as row-major RGB bytes. */
  byte[] next(int stream) {
    return worlds[stream].next().rgb();
  }

  int size() {
    return worlds.length;
  }
}
