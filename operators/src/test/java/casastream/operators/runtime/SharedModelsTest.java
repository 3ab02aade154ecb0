package casastream.operators.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedModelsTest {

  private static final class CountedModel implements AutoCloseable {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private final String key = "model-" + UUID.randomUUID();
  private final AtomicInteger loads = new AtomicInteger();

  private CountedModel load() {
    loads.incrementAndGet();
    return new CountedModel();
  }

  @Test
  void loadsOnceForAllUsersAndClosesWithTheLastOne() {
    int heldBefore = SharedModels.loadedCount();
    long loadsBefore = SharedModels.loadCount();
    ModelLease<CountedModel> first = SharedModels.acquire(key, this::load, Duration.ZERO);
    ModelLease<CountedModel> second = SharedModels.acquire(key, this::load, Duration.ZERO);
    CountedModel model = first.model();

    assertThat(second.model()).isSameAs(model);
    assertThat(loads).hasValue(1);
    assertThat(SharedModels.referenceCount(key)).isEqualTo(2);
    assertThat(SharedModels.loadedCount()).as("models held in the JVM (metric modelsLoaded)").isEqualTo(heldBefore + 1);
    assertThat(SharedModels.loadCount()).as("loads in the JVM (metric modelLoads)").isEqualTo(loadsBefore + 1);

    first.close();
    first.close();
    assertThat(model.closes).hasValue(0);
    second.close();
    assertThat(model.closes).hasValue(1);
    assertThat(SharedModels.referenceCount(key)).isZero();
    assertThat(SharedModels.loadedCount()).isEqualTo(heldBefore);
  }

  @Test
  void loadsAgainAfterTheLastUserReleasedIt() {
    SharedModels.acquire(key, this::load, Duration.ZERO).close();
    SharedModels.acquire(key, this::load, Duration.ZERO).close();
    assertThat(loads).hasValue(2);
  }

  @Test
  void givesOneModelToManyThreadsAcquiringAtOnce() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ModelLease<CountedModel>>> leases = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      leases.add(pool.submit(() -> {
        start.await();
        return SharedModels.acquire(key, this::load, Duration.ZERO);
      }));
    }
    start.countDown();
    List<ModelLease<CountedModel>> held = new ArrayList<>();
    for (Future<ModelLease<CountedModel>> lease : leases) {
      held.add(lease.get());
    }
    pool.shutdown();
    CountedModel model = held.get(0).model();

    assertThat(loads).hasValue(1);
    assertThat(held).extracting(ModelLease::model).containsOnly(model);
    held.forEach(ModelLease::close);
    assertThat(model.closes).hasValue(1);
    assertThat(SharedModels.referenceCount(key)).isZero();
  }

  @Test
  void reusesAModelReleasedForLessThanItsLingerTimeAndClosesItAfterwards() throws Exception {
    ModelLease<CountedModel> first = SharedModels.acquire(key, this::load, Duration.ofMillis(300));
    CountedModel model = first.model();
    first.close();
    ModelLease<CountedModel> again = SharedModels.acquire(key, this::load, Duration.ofMillis(300));
    assertThat(again.model()).isSameAs(model);
    assertThat(loads).hasValue(1);

    again.close();
    assertThat(SharedModels.isLoaded(key)).isTrue();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (SharedModels.isLoaded(key) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(SharedModels.isLoaded(key)).isFalse();
    assertThat(model.closes).hasValue(1);
  }

  @Test
  void refusesUseOfAClosedLease() {
    ModelLease<CountedModel> lease = SharedModels.acquire(key, this::load, Duration.ZERO);
    lease.close();
    assertThatThrownBy(lease::model).hasMessageContaining("already closed");
  }
}
