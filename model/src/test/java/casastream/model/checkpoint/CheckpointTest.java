package casastream.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import casastream.model.CasaConfig;
import casastream.model.CasaModel;
import casastream.model.ModelFormatException;
import casastream.model.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void savedAndLoadedModelGivesBitIdenticalOutputs() throws IOException {
        CasaConfig config = TinyModels.config();
        try (CasaModel original = CasaModel.create(config, 5)) {
            original.save(dir, SafeTensors.DType.F32);
            try (CasaModel loaded = CasaModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(visionOutput(loaded)).containsExactly(visionOutput(original));
                for (String name : original.parameters().all().keySet()) {
                    assertThat(loaded.parameters().all().get(name).toFloatArray()).as(name)
                            .containsExactly(original.parameters().all().get(name).toFloatArray());
                }
            }
        }
    }

    @Test
    void halfPrecisionWeightsLoadIntoFullPrecision() throws IOException {
        try (CasaModel original = CasaModel.create(TinyModels.config(), 5)) {
            original.save(dir, SafeTensors.DType.F16);
            try (CasaModel loaded = CasaModel.load(dir)) {
                float[] a = original.parameters().all().get("decoder.embedding.weight").toFloatArray();
                float[] b = loaded.parameters().all().get("decoder.embedding.weight").toFloatArray();
                assertThat(b).containsExactly(a, org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void missingTensorIsAClearError() throws IOException {
        writeWith(weights -> weights.remove("decoder.norm.weight"));
        assertThatThrownBy(() -> CasaModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("lacks tensor decoder.norm.weight");
    }

    @Test
    void shapeMismatchIsAClearError() throws IOException {
        writeWith(weights -> weights.put("decoder.norm.weight", weights.get("decoder.norm.bias").getManager().zeros(new Shape(7))));
        assertThatThrownBy(() -> CasaModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("decoder.norm.weight").hasMessageContaining("(7)");
    }

    @Test
    void unknownFormatVersionIsAClearError() throws IOException {
        try (CasaModel original = CasaModel.create(TinyModels.config(), 5)) {
            original.save(dir, SafeTensors.DType.F32);
        }
        Path config = dir.resolve(Checkpoint.CONFIG_FILE);
        Files.writeString(config, Files.readString(config).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        assertThatThrownBy(() -> CasaModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 99");
    }

    @Test
    void missingFilesAreAClearError() {
        assertThatThrownBy(() -> CasaModel.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(Checkpoint.CONFIG_FILE);
    }

    private void writeWith(java.util.function.Consumer<Map<String, NDArray>> edit) throws IOException {
        try (CasaModel original = CasaModel.create(TinyModels.config(), 5)) {
            original.save(dir, SafeTensors.DType.F32);
            Map<String, NDArray> weights = new LinkedHashMap<>(original.parameters().all());
            edit.accept(weights);
            try (OutputStream out = Files.newOutputStream(dir.resolve(Checkpoint.WEIGHTS_FILE))) {
                SafeTensors.write(out, weights, SafeTensors.DType.F32, Map.of());
            }
        }
    }

    private static float[] visionOutput(CasaModel model) {
        try (NDManager manager = model.manager().newSubManager()) {
            int side = model.config().imageSize();
            float[] pixels = new float[3 * side * side];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) Math.sin(i);
            }
            return model.vision().forward(manager.create(pixels, new Shape(1, 3, side, side))).toFloatArray();
        }
    }
}
