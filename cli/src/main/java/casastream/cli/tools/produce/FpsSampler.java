package casastream.cli.tools.produce;

/**
 * Picks frames from a source's timeline at a target rate: a picture is kept when its media time
 * reaches the next slot, so a 30 fps video sampled at 2 fps keeps about every 15th picture and a
 * source slower than the target keeps everything.
 */
public final class FpsSampler {

  private final double intervalMillis;
  private double nextSlotMillis;

  public FpsSampler(double fps) {
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("The frame rate must be above 0, was " + fps + ": give e.g. --fps 2");
    }
    this.intervalMillis = 1000.0 / fps;
  }

  /** Whether the picture at this media time is kept; call with non-decreasing times. */
  public boolean keep(long mediaMillis) {
    if (mediaMillis + 1e-6 < nextSlotMillis) {
      return false;
    }
    // Slots stay on the grid (0, interval, 2*interval ...) however irregular the source's times are.
    nextSlotMillis = (Math.floor(mediaMillis / intervalMillis) + 1) * intervalMillis;
    return true;
  }

  public double intervalMillis() {
    return intervalMillis;
  }
}
