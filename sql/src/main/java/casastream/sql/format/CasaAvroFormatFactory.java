package casastream.sql.format;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'format' = 'casa-avro'}: the job's messages as they are on its topics, Avro single-object
 * encoding (Flink's own {@code avro} format expects bare Avro bodies). {@code 'casa-avro.message'}
 * says which message: {@code frame} or {@code text-event}. Reading skips a message that does not
 * decode (a corrupt frame never fails the query; the skips are counted in the metric
 * {@value CasaAvroDeserializer#SKIPPED_METRIC} and logged); writing refuses a row that cannot be a
 * message, with the column at fault.
 */
public final class CasaAvroFormatFactory implements DeserializationFormatFactory, SerializationFormatFactory {

  public static final String IDENTIFIER = "casa-avro";

  public static final ConfigOption<String> MESSAGE = ConfigOptions.key("message").stringType().noDefaultValue()
      .withDescription("Which message the topic holds: 'frame' (topic frames) or 'text-event' (topic text-events).");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(MESSAGE);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of();
  }

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(DynamicTableFactory.Context context,
      ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    MessageType type = MessageType.of(options.get(MESSAGE));
    return new DecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(DynamicTableSource.Context source, DataType physical) {
        RowType row = (RowType) physical.getLogicalType();
        List<MessageColumns.Column<?, ?>> columns = List.copyOf(type.columns().resolve(row, false));
        return new CasaAvroDeserializer(type, columns, source.createTypeInformation(physical));
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  @Override
  public EncodingFormat<SerializationSchema<RowData>> createEncodingFormat(DynamicTableFactory.Context context,
      ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    MessageType type = MessageType.of(options.get(MESSAGE));
    return new EncodingFormat<>() {
      @Override
      public SerializationSchema<RowData> createRuntimeEncoder(DynamicTableSink.Context sink, DataType physical) {
        RowType row = (RowType) physical.getLogicalType();
        List<MessageColumns.Column<?, ?>> columns = List.copyOf(type.columns().resolve(row, true));
        return new CasaAvroSerializer(type, columns, row);
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }
}
