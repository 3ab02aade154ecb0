package casastream.schemas;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;

/**
 * Walks an Avro binary body with its writer schema, item by item, allocating nothing: proof that
 * every value the body declares is really there before a decoder allocates for it.
 *
 * <p>Avro's own skip jumps over an array or map block by its byte size without looking at the
 * items, but its decoder sizes the collection by the block's item count. A few bytes declaring a
 * block of a billion entries would pass the skip and then allocate gigabytes. Here a block may
 * declare no more items than the body has bytes (every item of our schemas takes at least one),
 * and each item is walked, so a count the body cannot back is refused before any allocation.
 */
final class BodyWalk {

  private final BinaryDecoder in;
  private final long bodyBytes;

  private BodyWalk(BinaryDecoder in, long bodyBytes) {
    this.in = in;
    this.bodyBytes = bodyBytes;
  }

  /**
   * @throws IOException when the body ends early or declares more than it holds
   */
  static void walk(Schema writer, BinaryDecoder in, long bodyBytes) throws IOException {
    new BodyWalk(in, bodyBytes).value(writer);
  }

  private void value(Schema schema) throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          value(field.schema());
        }
      }
      case ENUM -> index(in.readEnum(), schema.getEnumSymbols().size(), "enum symbol");
      case ARRAY -> {
        for (long items = in.readArrayStart(); items != 0; items = in.arrayNext()) {
          block(items);
          for (long i = 0; i < items; i++) {
            value(schema.getElementType());
          }
        }
      }
      case MAP -> {
        for (long entries = in.readMapStart(); entries != 0; entries = in.mapNext()) {
          block(entries);
          for (long i = 0; i < entries; i++) {
            in.skipString();
            value(schema.getValueType());
          }
        }
      }
      case UNION -> {
        int branch = in.readIndex();
        index(branch, schema.getTypes().size(), "union branch");
        value(schema.getTypes().get(branch));
      }
      case FIXED -> in.skipFixed(schema.getFixedSize());
      case STRING -> in.skipString();
      case BYTES -> in.skipBytes();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case BOOLEAN -> in.readBoolean();
      case NULL -> in.readNull();
    }
  }

  private void block(long items) throws IOException {
    if (items < 0 || items > bodyBytes) {
      throw new IOException("a collection block declares " + items + " items in a body of "
          + bodyBytes + " bytes");
    }
  }

  private static void index(int index, int size, String what) throws IOException {
    if (index < 0 || index >= size) {
      throw new IOException(what + " " + index + " out of range: the schema has " + size);
    }
  }
}
