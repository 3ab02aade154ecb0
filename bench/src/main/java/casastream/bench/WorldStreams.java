package casastream.bench;

import casastream.cli.tools.produce.SyntheticSource;
import casastream.model.CasaConfig;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;

/**
 * Camera streams from the synthetic world at the model's frame size, one seeded world per stream,
 * so every run sees the same frames: what benchmarks feed the model instead of random pixels. The
 * world is the model's own (the frame-to-frame or the history world, which its tokenizer selects),
 * or the shipped model's where only a frame size is known.
 */
final class WorldStreams {

  private final CameraWorld[] worlds;

  /** Streams of the shipped model's world at {@code imageSize}. */
  WorldStreams(int imageSize, int streams, long seed) {
    this(SyntheticSource.worldOf(null), imageSize, streams, seed);
  }

  /** Streams of the world {@code model} was trained on, at its frame size. */
  WorldStreams(CasaConfig model, int streams, long seed) {
    this(WorldConfig.forModel(model), model.imageSize(), streams, seed);
  }

  private WorldStreams(WorldConfig world, int imageSize, int streams, long seed) {
    WorldConfig config = world.scaledTo(imageSize, imageSize);
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
