package casastream.bench;

/**
 * The sizing formula of the capacity table, with every input named so users can plug in their own
 * measurements (frames/s of their TaskManagers, their camera's message size).
 *
 * <pre>
 * frames/s needed    F  = streams x fps
 * TaskManagers       TM = ceil(F / (framesPerSecondPerTm x headroom))
 * slots              S  = TM x slotsPerTm
 * RocksDB state         = streams x stateBytesPerStream
 * checkpoint (full)     = streams x checkpointBytesPerStream
 * checkpoint (incr.)    = min(full, F x interval x stateBytesPerStream)   every frame rewrites its stream's value
 * Kafka bandwidth    B  = F x frameMessageBytes
 * Kafka partitions      = max(S, ceil(B / partitionBytesPerSecond))      every slot reads at least one
 * </pre>
 */
record CapacityPlan(double framesPerSecondPerTm, double headroom, int slotsPerTm, double stateBytesPerStream,
                    double checkpointBytesPerStream, double checkpointIntervalSeconds, double frameMessageBytes,
                    double partitionBytesPerSecond) {

  /** One row of the table. */
  record Row(long streams, double fps, double framesPerSecond, long taskManagers, long slots, double stateBytes,
             double fullCheckpointBytes, double incrementalCheckpointBytes, double kafkaBytesPerSecond,
             long partitions) {}

  Row size(long streams, double fps) {
    double frames = streams * fps;
    long taskManagers = (long) Math.ceil(frames / (framesPerSecondPerTm * headroom));
    long slots = taskManagers * slotsPerTm;
    double state = streams * stateBytesPerStream;
    double full = streams * checkpointBytesPerStream;
    double incremental = Math.min(full, frames * checkpointIntervalSeconds * stateBytesPerStream);
    double bandwidth = frames * frameMessageBytes;
    long partitions = Math.max(slots, (long) Math.ceil(bandwidth / partitionBytesPerSecond));
    return new Row(streams, fps, frames, taskManagers, slots, state, full, incremental, bandwidth, partitions);
  }
}
