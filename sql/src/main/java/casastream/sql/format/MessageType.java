package casastream.sql.format;

import casastream.schemas.AvroCodec;
import casastream.schemas.DecodeException;
import casastream.schemas.FrameEncoding;
import casastream.schemas.FrameOffset;
import casastream.schemas.FrameOffsetRange;
import casastream.schemas.ImageReference;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventIds;
import casastream.schemas.TextEventKind;
import casastream.schemas.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/**
 * The messages of the job's topics as SQL rows ({@code 'casa-avro.message'}): {@code frame} (topic
 * {@code frames}) and {@code text-event} (topic {@code text-events}). Column names are the Avro
 * field names in snake_case; enums are STRING, times TIMESTAMP_LTZ(3).
 */
public enum MessageType {

  FRAME("frame") {
    @Override
    RowData read(byte[] bytes, List<MessageColumns.Column<?, ?>> columns) throws DecodeException {
      return MessageColumns.toRow(FRAMES.decode(bytes), cast(columns));
    }

    @Override
    byte[] write(Object[] values, List<MessageColumns.Column<?, ?>> columns) {
      Frame.Builder builder = Frame.newBuilder().setAttributes(new HashMap<>());
      set(builder, values, cast(columns));
      if (!builder.hasImage()) {
        throw new IllegalArgumentException("A frame row needs its image (column image) or its location (image_uri)");
      }
      return FRAMES.encode(builder.build());
    }

    @Override
    MessageColumns<?, ?> columns() {
      return FRAME_COLUMNS;
    }
  },

  TEXT_EVENT("text-event") {
    @Override
    RowData read(byte[] bytes, List<MessageColumns.Column<?, ?>> columns) throws DecodeException {
      return MessageColumns.toRow(EVENTS.decode(bytes), cast(columns));
    }

    @Override
    byte[] write(Object[] values, List<MessageColumns.Column<?, ?>> columns) {
      TextEvent.Builder builder = TextEvent.newBuilder().setEmitTime(Instant.now()).setProcessingLatencyMillis(0);
      set(builder, values, cast(columns));
      if (!builder.hasEventId()) {
        builder.setEventId(TextEventIds.of(builder.getStreamId(), builder.getFrameSequence(), builder.getKind(),
            builder.getQueryId()));
      }
      return EVENTS.encode(builder.build());
    }

    @Override
    MessageColumns<?, ?> columns() {
      return EVENT_COLUMNS;
    }
  };

  private static final AvroCodec<Frame> FRAMES = AvroCodec.frames();
  private static final AvroCodec<TextEvent> EVENTS = AvroCodec.textEvents();
  private static final DataType TIME = DataTypes.TIMESTAMP_LTZ(3);

  private static final MessageColumns<Frame, Frame.Builder> FRAME_COLUMNS = new MessageColumns<Frame, Frame.Builder>("frame")
      .add("stream_id", DataTypes.STRING(), true, f -> string(f.getStreamId()), (b, v) -> b.setStreamId(v.toString()))
      .add("sequence", DataTypes.BIGINT(), true, Frame::getSequence, (b, v) -> b.setSequence((Long) v))
      .add("capture_time", TIME, true, f -> time(f.getCaptureTime()), (b, v) -> b.setCaptureTime(instant(v)))
      .add("encoding", DataTypes.STRING(), true, f -> string(f.getEncoding().name()),
          (b, v) -> b.setEncoding(symbol(FrameEncoding.class, "encoding", v)))
      .add("width", DataTypes.INT(), true, Frame::getWidth, (b, v) -> b.setWidth((Integer) v))
      .add("height", DataTypes.INT(), true, Frame::getHeight, (b, v) -> b.setHeight((Integer) v))
      .add("image", DataTypes.BYTES(), false, f -> f.getImage() instanceof ByteBuffer bytes ? bytes(bytes) : null,
          (b, v) -> b.setImage(ByteBuffer.wrap((byte[]) v)))
      .add("image_uri", DataTypes.STRING(), false,
          f -> f.getImage() instanceof ImageReference ref ? string(ref.getUri()) : null,
          (b, v) -> b.setImage(new ImageReference(v.toString())))
      .add("attributes", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()), false, f -> map(f.getAttributes()),
          (b, v) -> b.setAttributes(map((MapData) v)));

  private static final DataType SOURCE = DataTypes.ROW(
      DataTypes.FIELD("topic", DataTypes.STRING()),
      DataTypes.FIELD("partition", DataTypes.INT()),
      DataTypes.FIELD("offset", DataTypes.BIGINT()));
  private static final DataType ALERT_FRAMES = DataTypes.ROW(
      DataTypes.FIELD("topic", DataTypes.STRING()),
      DataTypes.FIELD("partition", DataTypes.INT()),
      DataTypes.FIELD("first_offset", DataTypes.BIGINT()),
      DataTypes.FIELD("last_offset", DataTypes.BIGINT()),
      DataTypes.FIELD("frames", DataTypes.INT()),
      DataTypes.FIELD("truncated", DataTypes.BOOLEAN()));

  private static final MessageColumns<TextEvent, TextEvent.Builder> EVENT_COLUMNS =
      new MessageColumns<TextEvent, TextEvent.Builder>("text-event")
      .add("event_id", DataTypes.STRING(), false, e -> string(e.getEventId()), (b, v) -> b.setEventId(v.toString()))
      .add("stream_id", DataTypes.STRING(), true, e -> string(e.getStreamId()), (b, v) -> b.setStreamId(v.toString()))
      .add("frame_sequence", DataTypes.BIGINT(), true, TextEvent::getFrameSequence,
          (b, v) -> b.setFrameSequence((Long) v))
      .add("capture_time", TIME, true, e -> time(e.getCaptureTime()), (b, v) -> b.setCaptureTime(instant(v)))
      .add("emit_time", TIME, false, e -> time(e.getEmitTime()), (b, v) -> b.setEmitTime(instant(v)))
      .add("kind", DataTypes.STRING(), true, e -> string(e.getKind().name()),
          (b, v) -> b.setKind(symbol(TextEventKind.class, "kind", v)))
      .add("text", DataTypes.STRING(), true, e -> string(e.getText()), (b, v) -> b.setText(v.toString()))
      .add("query_id", DataTypes.STRING(), false, e -> string(e.getQueryId()), (b, v) -> b.setQueryId(v.toString()))
      .add("model_id", DataTypes.STRING(), true, e -> string(e.getModelId()), (b, v) -> b.setModelId(v.toString()))
      .add("processing_latency_millis", DataTypes.BIGINT(), false, TextEvent::getProcessingLatencyMillis,
          (b, v) -> b.setProcessingLatencyMillis((Long) v))
      .add("source", SOURCE, false, e -> e.getSource() == null ? null : GenericRowData.of(
              string(e.getSource().getTopic()), e.getSource().getPartition(), e.getSource().getOffset()),
          (b, v) -> {
            RowData r = (RowData) v;
            b.setSource(new FrameOffset(r.getString(0).toString(), r.getInt(1), r.getLong(2)));
          })
      .add("alert_frames", ALERT_FRAMES, false, e -> {
            FrameOffsetRange r = e.getAlertFrames();
            return r == null ? null : GenericRowData.of(string(r.getTopic()), r.getPartition(), r.getFirstOffset(),
                r.getLastOffset(), r.getFrames(), r.getTruncated());
          },
          (b, v) -> {
            RowData r = (RowData) v;
            b.setAlertFrames(new FrameOffsetRange(r.getString(0).toString(), r.getInt(1), r.getLong(2), r.getLong(3),
                r.getInt(4), r.getBoolean(5)));
          });

  private final String option;

  MessageType(String option) {
    this.option = option;
  }

  /** Decodes one message into a row of the declared columns. */
  abstract RowData read(byte[] bytes, List<MessageColumns.Column<?, ?>> columns) throws DecodeException;

  /** Encodes a row's values (internal data, in the declared columns' order; null for SQL NULL). */
  abstract byte[] write(Object[] values, List<MessageColumns.Column<?, ?>> columns);

  abstract MessageColumns<?, ?> columns();

  /** The value of {@code 'casa-avro.message'}. */
  public String option() {
    return option;
  }

  /** Every column of the message, as a table over its topic declares them. */
  public DataType fullRow() {
    return columns().fullRow();
  }

  static MessageType of(String option) {
    for (MessageType type : values()) {
      if (type.option.equals(option)) {
        return type;
      }
    }
    throw new ValidationException("'casa-avro.message' must be 'frame' or 'text-event', was '" + option + "'");
  }

  @SuppressWarnings("unchecked")
  private static <M, B> List<MessageColumns.Column<M, B>> cast(List<MessageColumns.Column<?, ?>> columns) {
    return (List<MessageColumns.Column<M, B>>) (List<?>) columns;
  }

  private static <B> void set(B builder, Object[] values, List<MessageColumns.Column<Object, B>> columns) {
    for (int i = 0; i < columns.size(); i++) {
      MessageColumns.Column<Object, B> column = columns.get(i);
      if (values[i] == null) {
        if (column.required()) {
          throw new IllegalArgumentException("Column " + column.name() + " is NULL; a message needs it");
        }
        continue;
      }
      column.setter().set(builder, values[i]);
    }
  }

  private static StringData string(String value) {
    return value == null ? null : StringData.fromString(value);
  }

  private static TimestampData time(Instant instant) {
    return instant == null ? null : TimestampData.fromInstant(instant);
  }

  private static Instant instant(Object value) {
    return ((TimestampData) value).toInstant();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }

  private static MapData map(Map<String, String> map) {
    Map<StringData, StringData> data = new HashMap<>();
    map.forEach((k, v) -> data.put(StringData.fromString(k), StringData.fromString(v)));
    return new GenericMapData(data);
  }

  private static Map<String, String> map(MapData data) {
    Map<String, String> map = new HashMap<>();
    ArrayData keys = data.keyArray();
    ArrayData values = data.valueArray();
    for (int i = 0; i < data.size(); i++) {
      if (keys.isNullAt(i) || values.isNullAt(i)) {
        throw new IllegalArgumentException("attributes cannot hold NULL keys or values");
      }
      map.put(keys.getString(i).toString(), values.getString(i).toString());
    }
    return map;
  }

  private static <E extends Enum<E>> E symbol(Class<E> type, String column, Object value) {
    String name = value.toString().toUpperCase(Locale.ROOT);
    try {
      E symbol = Enum.valueOf(type, name);
      if (!symbol.name().equals("UNKNOWN")) {
        return symbol;
      }
    } catch (IllegalArgumentException e) {
      // Reported below with the allowed values.
    }
    List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name)
        .filter(n -> !n.equals("UNKNOWN")).toList();
    throw new IllegalArgumentException("Column " + column + " is '" + value + "'; it must be one of " + allowed);
  }
}
