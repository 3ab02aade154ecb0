package casastream.sql.predict;

import casastream.operators.inference.FrameModelFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * ML_PREDICT, async: the requests in flight together (up to Flink's max-concurrent-operations) are
 * taken by one worker thread as one model step of up to {@code batchSize} images; the first waits
 * at most {@code batchWait} for others. The step sizes are the histogram {@value #BATCH_METRIC}.
 */
public final class AsyncCaptionPredictFunction extends AsyncPredictFunction {

  private static final long serialVersionUID = 1L;
  public static final String BATCH_METRIC = "casaPredictBatchSize";

  /** The largest step any instance in this JVM ran (what tests and benchmarks in one JVM read). */
  private static final java.util.concurrent.atomic.AtomicInteger LARGEST_STEP = new java.util.concurrent.atomic.AtomicInteger();

  private record Request(byte[] image, CompletableFuture<Collection<RowData>> result) {}

  private final FrameModelFactory model;
  private final int batchSize;
  private final Duration batchWait;
  private transient LinkedBlockingQueue<Request> queue;
  private transient Thread worker;
  private transient volatile boolean closed;
  private transient Histogram batches;

  AsyncCaptionPredictFunction(FrameModelFactory model, int batchSize, Duration batchWait) {
    this.model = model;
    this.batchSize = batchSize;
    this.batchWait = batchWait;
  }

  @Override
  public void open(FunctionContext context) {
    ImageCaptioner captioner = new ImageCaptioner(model, context);
    queue = new LinkedBlockingQueue<>();
    batches = context.getMetricGroup().histogram(BATCH_METRIC, new DescriptiveStatisticsHistogram(1000));
    worker = new Thread(() -> run(captioner), "casa-predict-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
    CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
    queue.add(new Request(input.isNullAt(0) ? null : input.getBinary(0), result));
    return result;
  }

  private void run(ImageCaptioner captioner) {
    try (captioner) {
      while (!closed) {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Request> step = new ArrayList<>(List.of(first));
        long deadline = System.nanoTime() + batchWait.toNanos();
        while (step.size() < batchSize) {
          long left = deadline - System.nanoTime();
          Request next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          step.add(next);
        }
        answer(captioner, step);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(ImageCaptioner captioner, List<Request> step) {
    try {
      List<byte[]> images = step.stream().map(Request::image).toList();
      List<String> captions = captioner.caption(images);
      batches.update(step.size());
      LARGEST_STEP.accumulateAndGet(step.size(), Math::max);
      for (int i = 0; i < step.size(); i++) {
        step.get(i).result().complete(List.of(GenericRowData.of(StringData.fromString(captions.get(i)))));
      }
    } catch (RuntimeException e) {
      step.forEach(r -> r.result().completeExceptionally(e));
    }
  }

  /** The largest model step any async instance in this JVM has run so far. */
  static int largestStep() {
    return LARGEST_STEP.get();
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (worker != null) {
      worker.join(10_000);
    }
  }
}
