package casastream.sql.format;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/** Writes a row of the table's columns as one casa-avro message. */
final class CasaAvroSerializer implements SerializationSchema<RowData> {

  private static final long serialVersionUID = 1L;

  private final MessageType type;
  private final List<MessageColumns.Column<?, ?>> columns;
  private final RowData.FieldGetter[] getters;

  CasaAvroSerializer(MessageType type, List<MessageColumns.Column<?, ?>> columns, RowType row) {
    this.type = type;
    this.columns = columns;
    this.getters = new RowData.FieldGetter[row.getFieldCount()];
    for (int i = 0; i < getters.length; i++) {
      getters[i] = RowData.createFieldGetter(row.getTypeAt(i), i);
    }
  }

  @Override
  public byte[] serialize(RowData row) {
    Object[] values = new Object[getters.length];
    for (int i = 0; i < getters.length; i++) {
      values[i] = getters[i].getFieldOrNull(row);
    }
    try {
      return type.write(values, columns);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("A row cannot be written as a casa-avro " + type.option() + ": "
          + e.getMessage(), e);
    }
  }
}
