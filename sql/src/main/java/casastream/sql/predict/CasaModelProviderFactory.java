package casastream.sql.predict;

import casastream.model.decode.Decoding;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.FrameModelFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * {@code 'provider' = 'casa'}: the CASA model for {@code ML_PREDICT}, stateless: each image is
 * captioned on its own, with a fresh memory (for a stream's memory, use {@code CASA_STREAM}).
 *
 * <pre>{@code
 * CREATE MODEL captioner INPUT (image BYTES) OUTPUT (caption STRING)
 * WITH ('provider' = 'casa');   -- 'model-dir' = '/path/to/checkpoint' for another one, 'decoder' = 'plain'
 * SELECT name, caption FROM ML_PREDICT(TABLE images, MODEL captioner, DESCRIPTOR(image));
 * }</pre>
 *
 * <p>The input is one BYTES column, a JPEG or PNG image (any size; it is resized as the job resizes
 * frames); the output one STRING column. In async mode ({@code MAP['async', 'true']}) requests that
 * arrive together run as one model step of up to {@code batch-size} images.
 */
public final class CasaModelProviderFactory implements ModelProviderFactory {

  public static final String IDENTIFIER = "casa";

  public static final ConfigOption<String> MODEL_DIR = ConfigOptions.key("model-dir").stringType().noDefaultValue()
      .withDescription("A CASA checkpoint directory (config.json, model.safetensors); default: the shipped model.");
  public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch-size").intType().defaultValue(32)
      .withDescription("Async mode: the most images in one model step.");
  public static final ConfigOption<Duration> BATCH_WAIT = ConfigOptions.key("batch-wait").durationType()
      .defaultValue(Duration.ofMillis(5))
      .withDescription("Async mode: how long the first image of a step waits for others.");

  public static final ConfigOption<String> DECODER = ConfigOptions.key("decoder").stringType().defaultValue("draft")
      .withDescription("How the model decodes: 'draft' lets finished images leave the batch (a stateless image has no"
          + " last caption to check as a draft), 'plain' decodes token by token; both write the same captions.");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(MODEL_DIR, BATCH_SIZE, BATCH_WAIT, DECODER);
  }

  @Override
  public ModelProvider createModelProvider(Context context) {
    FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    check(context.getCatalogModel().getResolvedInputSchema(), LogicalTypeRoot.VARBINARY, "INPUT", "BYTES");
    check(context.getCatalogModel().getResolvedOutputSchema(), LogicalTypeRoot.VARCHAR, "OUTPUT", "STRING");
    int batchSize = options.get(BATCH_SIZE);
    if (batchSize < 1 || batchSize > 4096) {
      throw new ValidationException("'batch-size' must be 1..4096, was " + batchSize);
    }
    Decoding decoding;
    try {
      decoding = Decoding.of(options.get(DECODER));
    } catch (IllegalArgumentException e) {
      throw new ValidationException("'decoder': " + e.getMessage(), e);
    }
    FrameModelFactory model = options.getOptional(MODEL_DIR)
        .map(dir -> CasaFrameModelFactory.fromCheckpoint(Path.of(dir)))
        .orElseGet(CasaFrameModelFactory::shipped)
        .withDecoding(decoding);
    return new CasaModelProvider(model, batchSize, options.get(BATCH_WAIT));
  }

  private static void check(ResolvedSchema schema, LogicalTypeRoot root, String what, String type) {
    List<Column> columns = schema.getColumns();
    if (columns.size() != 1 || columns.get(0).getDataType().getLogicalType().getTypeRoot() != root) {
      throw new ValidationException("A casa model's " + what + " is one " + type + " column (the "
          + (what.equals("INPUT") ? "JPEG or PNG image" : "caption") + "), was " + schema);
    }
  }
}
