package casastream.cli.tools.tail;

import casastream.schemas.TextEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a text event is printed: one line for people, or one JSON object per line for programs. */
public enum TextEventFormat {

  /** {@code 14:03:07.250  cam-1  #41  ALERT  [bay] yes}: capture time (local), stream, frame, kind, text. */
  HUMAN {
    @Override
    public String format(TextEvent event) {
      String query = event.getQueryId() == null ? "" : "[" + event.getQueryId() + "] ";
      return TIME.format(event.getCaptureTime()) + "  " + event.getStreamId() + "  #"
          + event.getFrameSequence() + "  " + event.getKind() + "  " + query + event.getText();
    }
  },

  /**
   * One JSON object with the TextEvent field names, times as epoch milliseconds as in the Avro
   * schema (timestamp-millis), absent query id, source and alert range as null; the source and
   * the range as objects with their record's field names.
   */
  JSON {
    @Override
    public String format(TextEvent event) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("eventId", event.getEventId());
      fields.put("streamId", event.getStreamId());
      fields.put("frameSequence", event.getFrameSequence());
      fields.put("captureTime", event.getCaptureTime().toEpochMilli());
      fields.put("emitTime", event.getEmitTime().toEpochMilli());
      fields.put("kind", event.getKind().name());
      fields.put("text", event.getText());
      fields.put("queryId", event.getQueryId());
      fields.put("modelId", event.getModelId());
      fields.put("processingLatencyMillis", event.getProcessingLatencyMillis());
      fields.put("source", fieldsOf(event.getSource()));
      fields.put("alertFrames", fieldsOf(event.getAlertFrames()));
      try {
        return MAPPER.writeValueAsString(fields);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("A text event's fields are plain strings and numbers: " + e, e);
      }
    }
  };

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  public abstract String format(TextEvent event);

  /** A small flat Avro record (strings, numbers, booleans) as its fields by name; null stays null. */
  private static Map<String, Object> fieldsOf(SpecificRecord record) {
    if (record == null) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      fields.put(field.name(), value instanceof CharSequence text ? text.toString() : value);
    }
    return fields;
  }
}
