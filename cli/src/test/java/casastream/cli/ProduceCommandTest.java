package casastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.TestVideos;
import casastream.model.checkpoint.Checkpoint;
import casastream.model.world.CameraWorld;
import casastream.model.world.WorldConfig;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.Frame;
import casastream.schemas.FrameEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceCommandTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start("localhost", 0);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aVideoFileBecomesOneStreamSampledAtTheTargetRate(@TempDir Path dir) throws Exception {
    Path video = TestVideos.testPattern(dir, "gate-3.mp4", 3);

    CliRun run = CliRun.of("produce", "--video", video.toString(), "--fps", "5", "--no-pace",
        "--quiet", "--topic", "video-frames", "--bootstrap", bootstrapWith("video-frames", 8 << 20));

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Frame> frames = readFrames("video-frames");
    // 3 s at 5 fps of a 10 fps video: 15 frames, each a 160x120 JPEG, in order.
    assertThat(frames).hasSize(15);
    assertThat(frames).extracting(Frame::getStreamId).containsOnly("gate-3");
    assertThat(frames).extracting(Frame::getSequence).containsExactlyElementsOf(range(15));
    Frame first = frames.get(0);
    assertThat(first.getEncoding()).isEqualTo(FrameEncoding.JPEG);
    BufferedImage image = decode(first);
    assertThat(image.getWidth()).isEqualTo(160).isEqualTo(first.getWidth());
    assertThat(image.getHeight()).isEqualTo(120).isEqualTo(first.getHeight());
  }

  @Test
  void manyStreamsAtOnceFromFoldersAndSimulatedCameras(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("dock-1"));
    for (int i = 0; i < 3; i++) {
      ImageIO.write(noise(48, 32, i), "png", folder.resolve(String.format("%03d.png", i)).toFile());
    }
    Files.writeString(folder.resolve("004.jpg"), "not an image");

    CliRun run = CliRun.of("produce", "--images", folder.toString(), "--synthetic", "2", "--frames", "4",
        "--fps", "10", "--quiet", "--topic", "mixed-frames", "--bootstrap", bootstrapWith("mixed-frames", 8 << 20));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("skipping").contains("004.jpg").contains("sent 11 frame(s) of 3 stream(s)");
    List<Frame> frames = readFrames("mixed-frames");
    assertThat(frames).filteredOn(f -> f.getStreamId().equals("dock-1")).hasSize(3)
        .allSatisfy(f -> assertThat(f.getWidth()).isEqualTo(48));
    assertThat(frames).filteredOn(f -> f.getStreamId().equals("sim-1")).hasSize(4)
        .allSatisfy(f -> assertThat(f.getEncoding()).isEqualTo(FrameEncoding.PNG));
    assertThat(frames).filteredOn(f -> f.getStreamId().equals("sim-2")).hasSize(4);
  }

  @Test
  void simulatedCamerasShowTheShippedModelsWorldUnlessTheWorldIsNamed() throws Exception {
    WorldConfig shipped = WorldConfig.forModel(Checkpoint.readShippedConfig());
    WorldConfig other = shipped.hasHistory() ? WorldConfig.defaults() : WorldConfig.historyWorld();
    List<byte[]> own = produceSynthetic("own-world-frames");
    List<byte[]> named = produceSynthetic("named-world-frames", "--world", other.hasHistory() ? "history" : "default");

    assertThat(own).hasSize(20);
    assertThat(Arrays.deepEquals(own.toArray(), rgb(shipped, 20).toArray())).as("the shipped model's world").isTrue();
    assertThat(Arrays.deepEquals(named.toArray(), rgb(other, 20).toArray())).as("the named world").isTrue();
    assertThat(Arrays.deepEquals(named.toArray(), own.toArray())).as("the two worlds' streams of one seed part").isFalse();
    CliRun bad = CliRun.of("produce", "--synthetic", "1", "--world", "mars", "--bootstrap", "localhost:1");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--world").contains("mars");
  }

  private static List<byte[]> produceSynthetic(String topic, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("produce", "--synthetic", "1", "--frames", "20", "--no-pace", "--quiet",
        "--seed", "900000", "--topic", topic, "--bootstrap", bootstrapWith(topic, 8 << 20)));
    args.addAll(List.of(options));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<byte[]> pictures = new ArrayList<>();
    for (Frame frame : readFrames(topic)) {
      BufferedImage image = decode(frame);
      byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
      for (int y = 0, i = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int pixel = image.getRGB(x, y);
          rgb[i++] = (byte) (pixel >> 16);
          rgb[i++] = (byte) (pixel >> 8);
          rgb[i++] = (byte) pixel;
        }
      }
      pictures.add(rgb);
    }
    return pictures;
  }

  private static List<byte[]> rgb(WorldConfig config, int frames) {
    CameraWorld world = new CameraWorld(config, 900_000);
    List<byte[]> pictures = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      pictures.add(world.next().rgb());
    }
    return pictures;
  }

  @Test
  void framesOverTheTopicsLimitAreReencodedOrRefused(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("big"));
    ImageIO.write(noise(800, 600, 9), "png", folder.resolve("000.png").toFile());
    String bootstrap = bootstrapWith("small-frames", 60_000);

    CliRun refused = CliRun.of("produce", "--images", folder.toString(), "--oversize", "refuse",
        "--quiet", "--topic", "small-frames", "--bootstrap", bootstrap);
    assertThat(refused.exitCode()).isZero();
    assertThat(refused.err()).contains("refused frame 0 of big").contains("800x600").contains("max.message.bytes");
    assertThat(readFrames("small-frames")).isEmpty();

    CliRun reencoded = CliRun.of("produce", "--images", folder.toString(),
        "--quiet", "--topic", "small-frames", "--bootstrap", bootstrap);
    assertThat(reencoded.exitCode()).as(reencoded.err()).isZero();
    List<Frame> frames = readFrames("small-frames");
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).getWidth()).isLessThan(800);
    assertThat(decode(frames.get(0)).getWidth()).isEqualTo(frames.get(0).getWidth());
  }

  /** Creates the topic with the given message size limit and returns the broker's address. */
  private static String bootstrapWith(String topic, int maxMessageBytes) throws Exception {
    try (Admin admin = new KafkaAccess(kafka.bootstrapServers()).admin()) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
            .configs(Map.of("max.message.bytes", String.valueOf(maxMessageBytes))))).all().get(30, TimeUnit.SECONDS);
      }
    }
    return kafka.bootstrapServers();
  }

  private static List<Frame> readFrames(String topic) throws Exception {
    List<Frame> frames = new ArrayList<>();
    AvroCodec<Frame> codec = AvroCodec.frames();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaAccess(kafka.bootstrapServers()).committedConsumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Frame frame = codec.decode(record.value());
          assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(frame.getStreamId());
          frames.add(frame);
        }
      }
    }
    return frames;
  }

  private static BufferedImage decode(Frame frame) throws Exception {
    ByteBuffer bytes = ((ByteBuffer) frame.getImage()).duplicate();
    byte[] data = new byte[bytes.remaining()];
    bytes.get(data);
    return ImageIO.read(new ByteArrayInputStream(data));
  }

  private static List<Long> range(int n) {
    List<Long> values = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      values.add(i);
    }
    return values;
  }

  private static BufferedImage noise(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }
}
