package casastream.sql.format;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The SQL columns of one message type: each column's name (the Avro field in snake_case), its type,
 * how to read it from a decoded message (as Flink's internal data) and how to set it on a message
 * being built. A table declares any subset of the columns, in any order; the format checks the
 * declaration once, when the table is used, and says which column is unknown or mistyped.
 *
 * @param <M> the generated Avro class
 * @param <B> its builder
 */
final class MessageColumns<M, B> implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Reads a column's value from a message, in Flink's internal representation (null for SQL NULL). */
  interface Getter<M> extends Function<M, Object>, Serializable {}

  /** Sets a column's value (internal representation, never null) on a builder. */
  interface Setter<B> extends Serializable {
    void set(B builder, Object value);
  }

  /** One column; {@code required}: a message cannot be written without it. */
  record Column<M, B>(String name, DataType type, boolean required, Getter<M> getter, Setter<B> setter)
      implements Serializable {}

  private final String message;
  private final Map<String, Column<M, B>> columns = new LinkedHashMap<>();

  MessageColumns(String message) {
    this.message = message;
  }

  MessageColumns<M, B> add(String name, DataType type, boolean required, Getter<M> getter, Setter<B> setter) {
    columns.put(name, new Column<>(name, type, required, getter, setter));
    return this;
  }

  String message() {
    return message;
  }

  /** Every column, as a table over the topic would declare it. */
  DataType fullRow() {
    List<DataTypes.Field> fields = new ArrayList<>();
    columns.values().forEach(c -> fields.add(DataTypes.FIELD(c.name(), c.type())));
    return DataTypes.ROW(fields.toArray(DataTypes.Field[]::new));
  }

  /**
   * The declared columns, in the declaration's order, checked against the message's.
   *
   * @param writing whether rows are written (then every required column must be declared)
   */
  List<Column<M, B>> resolve(RowType declared, boolean writing) {
    List<Column<M, B>> resolved = new ArrayList<>();
    for (RowType.RowField field : declared.getFields()) {
      Column<M, B> column = columns.get(field.getName());
      if (column == null) {
        throw new ValidationException("The casa-avro " + message + " format has no column `" + field.getName()
            + "`; its columns are: " + describe());
      }
      LogicalType expected = column.type().getLogicalType();
      if (!expected.copy(true).equals(field.getType().copy(true))) {
        throw new ValidationException("Column `" + field.getName() + "` of a casa-avro " + message + " table must be "
            + expected.copy(true).asSummaryString() + ", not " + field.getType().asSummaryString());
      }
      resolved.add(column);
    }
    if (writing) {
      List<String> missing = columns.values().stream().filter(Column::required).map(Column::name)
          .filter(name -> !declared.getFieldNames().contains(name)).toList();
      if (!missing.isEmpty()) {
        throw new ValidationException("A casa-avro " + message + " table that is written to needs the columns "
            + missing + "; its columns are: " + describe());
      }
    }
    return resolved;
  }

  /** {@code stream_id STRING, sequence BIGINT, ...} */
  String describe() {
    List<String> parts = new ArrayList<>();
    columns.values().forEach(c -> parts.add(c.name() + " " + c.type().getLogicalType().copy(true).asSummaryString()
        + (c.required() ? "" : " (optional)")));
    return String.join(", ", parts);
  }

  static <M, B> RowData toRow(M message, List<Column<M, B>> columns) {
    GenericRowData row = new GenericRowData(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      row.setField(i, columns.get(i).getter().apply(message));
    }
    return row;
  }
}
