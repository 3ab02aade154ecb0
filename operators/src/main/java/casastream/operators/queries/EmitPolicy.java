package casastream.operators.queries;

import casastream.schemas.EveryInterval;
import casastream.schemas.OnChange;
import java.io.Serializable;
import java.time.Duration;

/**
 * When a stream's caption or answer is emitted: when it differs from the last one emitted, or at
 * most once per interval. An interval of zero emits for every frame. Time is the frames' capture
 * time, so a replay after a restore makes the same choices.
 *
 * @param whenChanged emit when the text changed
 * @param intervalMillis emit when this much capture time passed since the last emission (on
 *     change only: ignored)
 */
public record EmitPolicy(boolean whenChanged, long intervalMillis) implements Serializable {

  public EmitPolicy {
    if (intervalMillis < 0) {
      throw new IllegalArgumentException(
          "An emit interval must be 0 (every frame) or more, was " + intervalMillis + " ms");
    }
  }

  public static EmitPolicy onChange() {
    return new EmitPolicy(true, 0);
  }

  public static EmitPolicy every(Duration interval) {
    return new EmitPolicy(false, interval.toMillis());
  }

  public static EmitPolicy everyFrame() {
    return new EmitPolicy(false, 0);
  }

  /** The policy a {@code StandingQuery.emitPolicy} union holds. */
  public static EmitPolicy fromAvro(Object emitPolicy) {
    if (emitPolicy instanceof OnChange) {
      return onChange();
    }
    if (emitPolicy instanceof EveryInterval interval) {
      if (interval.getSeconds() < 0) {
        throw new IllegalArgumentException(
            "emitPolicy EveryInterval.seconds must be 0 or more, was " + interval.getSeconds());
      }
      return every(Duration.ofSeconds(interval.getSeconds()));
    }
    throw new IllegalArgumentException("Unknown emitPolicy " + emitPolicy + ": expected OnChange or EveryInterval");
  }

  /**
   * @param lastEmitted the text emitted last for this stream, or null if none was
   * @param lastEmitMillis capture time of the frame it was emitted for
   * @param current the text for the current frame
   * @param nowMillis capture time of the current frame
   */
  public boolean shouldEmit(String lastEmitted, long lastEmitMillis, String current, long nowMillis) {
    if (lastEmitted == null) {
      return true;
    }
    if (whenChanged) {
      return !lastEmitted.equals(current);
    }
    return nowMillis - lastEmitMillis >= intervalMillis;
  }

  /** "on-change", "every-frame" or "every:&lt;seconds&gt;s", as the job's options spell it. */
  @Override
  public String toString() {
    if (whenChanged) {
      return "on-change";
    }
    return intervalMillis == 0 ? "every-frame" : "every:" + Duration.ofMillis(intervalMillis).toSeconds() + "s";
  }
}
