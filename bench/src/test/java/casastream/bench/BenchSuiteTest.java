package casastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchSuiteTest {

  private final BenchSuite suite = BenchSuite.standard();

  @Test
  void allRunsEveryBenchmarkButTheSoakInTheSuitesOrder() {
    assertThat(suite.select(BenchSuite.ALL)).extracting(Benchmark::name)
        .containsSubsequence("memory", "latency-vs-history", "batching", "roofline", "pipeline", "many-streams",
            "sql", "capacity")
        .endsWith("capacity")
        .doesNotContain("soak", "cluster-scale");
    assertThat(suite.select("cluster-scale")).extracting(Benchmark::name).containsExactly("cluster-scale");
  }

  @Test
  void theSoakRunsByNameAndSeveralNamesRunInTheSuitesOrder() {
    assertThat(suite.select("soak")).extracting(Benchmark::name).containsExactly("soak");
    assertThat(suite.select("capacity,memory")).extracting(Benchmark::name).containsExactly("memory", "capacity");
  }

  @Test
  void refusesAnUnknownNameListingTheKnownOnes() {
    assertThatThrownBy(() -> suite.select("speed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no benchmark named 'speed'")
        .hasMessageContaining("soak");
  }
}
