package casastream.sql.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import casastream.model.checkpoint.Checkpoint;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.model.world.WorldFrame;
import casastream.operators.inference.CasaFrameModelFactory;
import casastream.operators.inference.FrameModel;
import casastream.operators.inference.StreamRequest;
import casastream.operators.runtime.ComputeDevice;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ML_PREDICT through the casa provider on a MiniCluster, sync and async: captions equal to the
 * shipped model run directly on the same images (fresh memory each), an undecodable image captioned
 * as such without failing the query, and a model declared with the wrong columns refused.
 */
class CasaModelProviderTest {

  private static final int IMAGES = 12;
  private static final List<Row> rows = new ArrayList<>();
  private static final Map<String, String> expected = new HashMap<>();

  @BeforeAll
  static void imagesAndTheirCaptionsFromTheModelDirectly() throws Exception {
    CasaFrameModelFactory factory = CasaFrameModelFactory.shipped();
    CameraWorld world = new CameraWorld(WorldConfig.forModel(Checkpoint.readShippedConfig()), 900_100);
    try (FrameModel model = factory.load(ComputeDevice.CPU)) {
      for (int i = 0; i < IMAGES; i++) {
        WorldFrame frame = world.next();
        String name = "image-" + i;
        rows.add(Row.of(name, png(frame)));
        expected.put(name, model.step(List.of(new StreamRequest(null, frame.rgb(), List.of()))).get(0).caption());
      }
    }
    rows.add(Row.of("broken", new byte[] {1, 2, 3}));
    expected.put("broken", ImageCaptioner.UNREADABLE);
  }

  @Test
  void captionsEveryImageAsTheModelDoesSyncAndBatchedAsync() throws Exception {
    StreamTableEnvironment sql = session();
    assertThat(captions(sql, "MAP['async', 'false']")).isEqualTo(expected);
    assertThat(captions(sql, "MAP['async', 'true', 'max-concurrent-operations', '8']")).isEqualTo(expected);
    assertThat(AsyncCaptionPredictFunction.largestStep()).as("images in flight together ran as one step")
        .isGreaterThan(1).isLessThanOrEqualTo(8);
  }

  @Test
  void thePlainDecoderCaptionsAsTheDraftOneAndAnUnknownDecoderIsRefusedByName() throws Exception {
    StreamTableEnvironment sql = session();
    sql.executeSql("CREATE TEMPORARY MODEL plain INPUT (image BYTES) OUTPUT (caption STRING)"
        + " WITH ('provider' = 'casa', 'batch-size' = '8', 'decoder' = 'plain')");
    Map<String, String> captions = new HashMap<>();
    try (CloseableIterator<Row> it = sql.executeSql("SELECT name, caption FROM ML_PREDICT(TABLE images,"
        + " MODEL plain, DESCRIPTOR(image), MAP['async', 'true', 'max-concurrent-operations', '8'])").collect()) {
      it.forEachRemaining(r -> captions.put(r.getFieldAs("name"), r.getFieldAs("caption")));
    }
    assertThat(captions).isEqualTo(expected);

    sql.executeSql("CREATE TEMPORARY MODEL odd INPUT (image BYTES) OUTPUT (caption STRING)"
        + " WITH ('provider' = 'casa', 'decoder' = 'greedy')");
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM ML_PREDICT(TABLE images, MODEL odd, DESCRIPTOR(image))"))
        .hasStackTraceContaining("'decoder': unknown decoder 'greedy': use one of plain, draft");
  }

  @Test
  void aModelWithOtherColumnsIsRefused() {
    StreamTableEnvironment sql = session();
    sql.executeSql("CREATE TEMPORARY MODEL wrong INPUT (image STRING) OUTPUT (caption STRING) WITH ('provider' = 'casa')");
    assertThatThrownBy(() -> sql.executeSql("SELECT * FROM ML_PREDICT(TABLE images, MODEL wrong, DESCRIPTOR(name))"))
        .hasStackTraceContaining("A casa model's INPUT is one BYTES column");
  }

  private static StreamTableEnvironment session() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    sql.createTemporaryView("images", sql.fromValues(DataTypes.ROW(DataTypes.FIELD("name", DataTypes.STRING()),
        DataTypes.FIELD("image", DataTypes.BYTES())), rows));
    sql.executeSql("CREATE TEMPORARY MODEL captioner INPUT (image BYTES) OUTPUT (caption STRING)"
        + " WITH ('provider' = 'casa', 'batch-size' = '8')");
    return sql;
  }

  private static Map<String, String> captions(StreamTableEnvironment sql, String config) throws Exception {
    Map<String, String> captions = new HashMap<>();
    try (CloseableIterator<Row> it = sql.executeSql("SELECT name, caption FROM ML_PREDICT(TABLE images,"
        + " MODEL captioner, DESCRIPTOR(image), " + config + ")").collect()) {
      it.forEachRemaining(r -> captions.put(r.getFieldAs("name"), r.getFieldAs("caption")));
    }
    return captions;
  }

  private static byte[] png(WorldFrame frame) throws Exception {
    BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
    byte[] rgb = frame.rgb();
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        int i = 3 * (y * frame.width() + x);
        image.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
