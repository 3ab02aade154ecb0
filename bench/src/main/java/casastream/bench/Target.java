package casastream.bench;

/**
 * A goal of the benchmark issue and how this run did against it.
 *
 * @param goal what was asked, e.g. "batch 64 at least 8x the frames/s of batch 1"
 * @param measured what this run measured, in the goal's terms, e.g. "5.1x"
 * @param met whether the goal was reached; null when the run could not decide it
 */
public record Target(String goal, String measured, Boolean met) {

  public static Target of(String goal, String measured, boolean met) {
    return new Target(goal, measured, met);
  }

  /** A goal this run could not measure, with the reason as the measured text. */
  public static Target undecided(String goal, String why) {
    return new Target(goal, why, null);
  }

  /** "met", "NOT met" or "not measured", for tables. */
  public String verdict() {
    return met == null ? "not measured" : met ? "met" : "NOT met";
  }
}
