package casastream.sql.predict;

import casastream.operators.inference.FrameModelFactory;
import java.util.Collection;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/** ML_PREDICT, sync: one image per model step. Public: the planner's generated code calls it. */
public final class CaptionPredictFunction extends PredictFunction {

  private static final long serialVersionUID = 1L;
  private final FrameModelFactory model;
  private transient ImageCaptioner captioner;

  CaptionPredictFunction(FrameModelFactory model) {
    this.model = model;
  }

  @Override
  public void open(FunctionContext context) {
    captioner = new ImageCaptioner(model, context);
  }

  @Override
  public Collection<RowData> predict(RowData input) {
    byte[] image = input.isNullAt(0) ? null : input.getBinary(0);
    return List.of(GenericRowData.of(StringData.fromString(captioner.caption(java.util.Collections.singletonList(image))
        .get(0))));
  }

  @Override
  public void close() {
    if (captioner != null) {
      captioner.close();
    }
  }
}
