package casastream.sql.predict;

import casastream.operators.inference.FrameModelFactory;
import java.time.Duration;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/** The casa model for ML_PREDICT, sync (one image, one step) or async (concurrent images batched). */
final class CasaModelProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {

  private final FrameModelFactory model;
  private final int batchSize;
  private final Duration batchWait;

  CasaModelProvider(FrameModelFactory model, int batchSize, Duration batchWait) {
    this.model = model;
    this.batchSize = batchSize;
    this.batchWait = batchWait;
  }

  @Override
  public PredictFunction createPredictFunction(Context context) {
    return new CaptionPredictFunction(model);
  }

  @Override
  public AsyncPredictFunction createAsyncPredictFunction(Context context) {
    return new AsyncCaptionPredictFunction(model, batchSize, batchWait);
  }

  @Override
  public ModelProvider copy() {
    return new CasaModelProvider(model, batchSize, batchWait);
  }
}
