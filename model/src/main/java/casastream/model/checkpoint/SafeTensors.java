package casastream.model.checkpoint;

import casastream.model.memory.HalfFloat;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.ModelFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {dtype, shape, data_offsets}, then the raw little-endian data. Tensors are F32 or F16 on
 * disk and always F32 once loaded.
 */
public final class SafeTensors {

    /** On-disk number format of the weights. */
    public enum DType {
        F32(4), F16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {
    }

    public static void write(OutputStream out, Map<String, NDArray> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            long length = entry.getValue().getShape().size() * dtype.bytes;
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", dtype.name());
            var shape = node.putArray("shape");
            for (long dim : entry.getValue().getShape().getShape()) {
                shape.add(dim);
            }
            node.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        int padded = (headerBytes.length + 7) / 8 * 8; // the format allows trailing spaces; aligns the data
        byte[] headerPadded = new byte[padded];
        java.util.Arrays.fill(headerPadded, (byte) ' ');
        System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerPadded);
        for (NDArray tensor : tensors.values()) {
            float[] values = tensor.toFloatArray();
            ByteBuffer data = ByteBuffer.allocate(values.length * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (dtype == DType.F32) {
                    data.putFloat(v);
                } else {
                    data.putShort(HalfFloat.fromFloat(v));
                }
            }
            out.write(data.array());
        }
    }

    /** Reads every tensor (as F32) onto {@code manager}, in file order. */
    public static Map<String, NDArray> read(InputStream in, NDManager manager, String source) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < 8) {
            throw new ModelFormatException(source + " is not a safetensors file (" + all.length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > all.length) {
            throw new ModelFormatException(source + " has a bad safetensors header length " + headerLength + ": the file is truncated or not safetensors");
        }
        JsonNode header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        long dataStart = 8 + headerLength;
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(field.getKey(), readTensor(all, dataStart, field.getKey(), field.getValue(), manager, source));
        }
        return tensors;
    }

    private static NDArray readTensor(byte[] all, long dataStart, String name, JsonNode node, NDManager manager, String source) {
        DType dtype;
        try {
            dtype = DType.valueOf(node.path("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": tensor " + name + " has dtype " + node.path("dtype")
                    + "; only F32 and F16 are supported", e);
        }
        long[] dims = new long[node.path("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = node.path("shape").get(i).asLong();
        }
        Shape shape = new Shape(dims);
        long begin = node.path("data_offsets").path(0).asLong(-1);
        long end = node.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end - begin != shape.size() * dtype.bytes || dataStart + end > all.length) {
            throw new ModelFormatException(source + ": tensor " + name + " has offsets [" + begin + ", " + end
                    + ") that do not fit its shape " + shape + " or the file size");
        }
        ByteBuffer data = ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = dtype == DType.F32 ? data.getFloat() : HalfFloat.toFloat(data.getShort());
        }
        NDArray array = manager.create(values, shape);
        array.setName(name);
        return array;
    }
}
