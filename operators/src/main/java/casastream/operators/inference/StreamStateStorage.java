package casastream.operators.inference;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * RocksDB settings for the operator's keyed state, whose values are dominated by each stream's
 * model memory (about 80 KB of fp16 numbers, rewritten on every frame). Such values do not
 * compress: Snappy, Flink's default for RocksDB, still tries on every flush and compaction, which
 * cost 5-10% more CPU per written value (BENCHMARKS.md, section 5), so no level is compressed.
 * The same key is in flink-conf/config.yaml for a cluster; local set-ups apply it with
 * {@link #applyTo}.
 */
public final class StreamStateStorage {

  /** Flink's key for RocksDB's per-level compression. */
  public static final ConfigOption<String> COMPRESSION_PER_LEVEL =
      ConfigOptions.key("state.backend.rocksdb.compression.per.level").stringType().noDefaultValue();

  /** No compression on any level: the memory values are incompressible. */
  public static final String NO_COMPRESSION = "NO_COMPRESSION";

  private StreamStateStorage() {}

  /** Sets the RocksDB options above on a cluster or MiniCluster configuration, unless already set. */
  public static Configuration applyTo(Configuration conf) {
    if (!conf.contains(COMPRESSION_PER_LEVEL)) {
      conf.set(COMPRESSION_PER_LEVEL, NO_COMPRESSION);
    }
    return conf;
  }
}
