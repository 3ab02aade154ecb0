package casastream.sql.format;

import casastream.schemas.DecodeException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one casa-avro message into a row of the table's columns; a message that does not decode
 * (corrupt, truncated, not ours, a tombstone) gives no row: it is counted and logged, and the query
 * goes on.
 */
final class CasaAvroDeserializer implements DeserializationSchema<RowData> {

  private static final long serialVersionUID = 1L;
  static final String SKIPPED_METRIC = "casaAvroMessagesSkipped";
  private static final Logger LOG = LoggerFactory.getLogger(CasaAvroDeserializer.class);
  /** The first skips are logged one by one, then one in this many. */
  private static final long LOG_FIRST = 10;
  private static final long LOG_EVERY = 1000;

  private final MessageType type;
  private final List<MessageColumns.Column<?, ?>> columns;
  private final TypeInformation<RowData> producedType;
  private transient Counter skipped;
  private transient long skips;

  CasaAvroDeserializer(MessageType type, List<MessageColumns.Column<?, ?>> columns,
      TypeInformation<RowData> producedType) {
    this.type = type;
    this.columns = columns;
    this.producedType = producedType;
  }

  @Override
  public void open(InitializationContext context) {
    skipped = context.getMetricGroup().counter(SKIPPED_METRIC);
  }

  @Override
  public RowData deserialize(byte[] message) {
    if (message == null) {
      return skip("a message without a value (tombstone)");
    }
    try {
      return type.read(message, columns);
    } catch (DecodeException e) {
      return skip(e.getMessage());
    }
  }

  private RowData skip(String why) {
    skips++;
    if (skipped != null) {
      skipped.inc();
    }
    if (skips <= LOG_FIRST || skips % LOG_EVERY == 0) {
      LOG.warn("Skipped a message that is not a casa-avro {} ({} skipped so far): {}", type.option(), skips, why);
    }
    return null;
  }

  @Override
  public boolean isEndOfStream(RowData next) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
