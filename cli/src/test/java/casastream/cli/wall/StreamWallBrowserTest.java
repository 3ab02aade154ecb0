package casastream.cli.wall;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.embedded.DemoOptions;
import casastream.cli.embedded.EmbeddedDemo;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.StopSignal;
import casastream.cli.tools.clip.ClipFetcher;
import casastream.cli.tools.clip.ClipRange;
import casastream.cli.tools.clip.EventLookup;
import casastream.cli.tools.frames.FrameImages;
import casastream.operators.kafka.Topics;
import casastream.operators.validation.FrameRejection;
import casastream.schemas.TextEvent;
import casastream.testkit.ExternalProgram;
import casastream.testkit.ListeningSockets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The wall and {@code clip} on a real run: the embedded demo (its own broker, the MiniCluster, the
 * job with the shipped model, simulated cameras) with its wall. A headless chromium (Debian's, through
 * chromium-driver and Selenium) opens the page, sees every camera with a caption, asks a yes/no
 * question from the page's form, sees its answers and an ALERT when one flips, plays the alert's clip
 * and filters the grid; a screenshot is saved as {@code target/wall.png}. Then {@code clip} writes the
 * frames of an ALERT of that run, which are checked against the frames topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamWallBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CAMERAS = 3;
  private static final Duration WAIT = Duration.ofSeconds(240);

  private static final StringWriter demoErr = new StringWriter();
  private static final StopSignal stop = StopSignal.manual();
  private static final ExecutorService executor = Executors.newSingleThreadExecutor();
  private static Future<EmbeddedDemo.Result> demo;
  private static EmbeddedDemo running;
  private static String bootstrap;

  @BeforeAll
  static void startTheDemoWithItsWall() throws Exception {
    int port = ListeningSockets.freePort();
    bootstrap = "localhost:" + port;
    // Slow cameras and a generous frame age, as on a busy 2-core machine; the wall on a free port.
    DemoOptions options = new DemoOptions(CAMERAS, 1, Duration.ZERO, true, null, "localhost", port, 0,
        Duration.ofSeconds(1), null, Duration.ZERO, Duration.ofSeconds(30)).withWall(0);
    running = new EmbeddedDemo(options, new PrintWriter(new StringWriter(), true), new PrintWriter(demoErr, true));
    demo = executor.submit(() -> running.run(stop));
    await(() -> running.wallUrl() != null || demo.isDone(), Duration.ofSeconds(120), "the demo's wall");
    assertThat(demo.isDone()).as("the demo stopped early:\n%s", demoErr).isFalse();
  }

  @AfterAll
  static void stopTheDemo() throws Exception {
    stop.stop();
    if (demo != null) {
      demo.get(90, TimeUnit.SECONDS);
    }
    executor.shutdown();
  }

  @Test
  @Order(1)
  void thePageShowsEveryStreamAndAQuestionAskedThereAnswersAlertsAndFilters() throws Exception {
    Path chromium = ExternalProgram.require("chromium", "the wall's browser test", "apt-get install chromium");
    Path driverProgram = ExternalProgram.require("chromedriver", "the wall's browser test",
        "apt-get install chromium-driver");
    ChromeOptions browser = new ChromeOptions();
    browser.setBinary(chromium.toFile());
    browser.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverProgram.toFile())
        .usingAnyFreePort().build();
    WebDriver page = new ChromeDriver(service, browser);
    try {
      page.get(running.wallUrl());
      // The page updates its nodes in place; a node a filter or page change removed is looked up again.
      FluentWait<WebDriver> wait = new WebDriverWait(page, WAIT, Duration.ofMillis(500))
          .ignoring(StaleElementReferenceException.class);

      // Every camera, each with a caption from the model.
      wait.withMessage("every camera with a caption").until(d -> captioned(d) == CAMERAS);
      assertThat(page.findElement(By.id("count")).getText()).isEqualTo(CAMERAS + " streams");

      // A yes/no question asked from the page reaches the job through the control topic.
      page.findElement(By.id("q-id")).sendKeys("red");
      page.findElement(By.id("q-text")).sendKeys("is there a red circle ?");
      new Select(page.findElement(By.id("q-mode"))).selectByValue("yes_no");
      page.findElement(By.id("q-add")).click();
      wait.withMessage("the question in the page's list").until(d -> !d.findElements(By.cssSelector(
          "#questions li[data-query='red']")).isEmpty());
      wait.withMessage("answers to the question on every tile").until(d -> d.findElements(By.cssSelector(
          ".tile li[data-query='red']")).size() == CAMERAS);
      wait.withMessage("an ALERT in the alert list when an answer flips").until(d -> !d.findElements(
          By.cssSelector("#alerts li.alert")).isEmpty());
      WebElement alert = page.findElements(By.cssSelector("#alerts li.alert")).get(0);
      assertThat(alert.getText()).contains("red: ").contains(alert.getDomAttribute("data-stream"));
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target", "wall.png"), ((ChromeDriver) page).getScreenshotAs(OutputType.BYTES));

      // Clicking the alert plays its frames.
      alert.click();
      wait.withMessage("the alert's clip playing").until(d -> {
        WebElement frame = d.findElement(By.id("clip-frame"));
        Object width = ((ChromeDriver) d).executeScript("return arguments[0].naturalWidth", frame);
        return frame.isDisplayed() && width instanceof Number n && n.intValue() > 0;
      });
      assertThat(page.findElement(By.id("clip-caption")).getText()).contains(alert.getDomAttribute("data-stream"));
      page.findElement(By.id("clip-close")).click();

      // The filter narrows the grid to the one stream.
      page.findElement(By.id("filter")).sendKeys("cam-2");
      wait.withMessage("the grid filtered to cam-2").until(d -> d.findElements(By.cssSelector(".tile")).size() == 1
          && d.findElement(By.cssSelector(".tile")).getDomAttribute("data-stream").equals("cam-2"));
      assertThat(page.findElement(By.id("count")).getText()).isEqualTo("1 stream");
    } finally {
      page.quit();
    }
  }

  @Test
  @Order(2)
  void clipWritesTheFramesOfAnAlertInOrderAsPicturesAndAVideo(@TempDir Path dir) throws Exception {
    // The browser test asked "red"; without a browser it is asked here (the same upsert).
    assertThat(CliRun.of("queries", "add", "red", "is there a red circle ?", "--bootstrap", bootstrap).exitCode())
        .isZero();
    List<JsonNode> alerts = new ArrayList<>();
    await(() -> !(alerts(alerts)).isEmpty() || demo.isDone(), WAIT, "an ALERT of the run");
    String eventId = alerts.get(0).get("eventId").asText();

    KafkaAccess kafka = new KafkaAccess(bootstrap);
    TextEvent alert = new EventLookup(kafka, Topics.TEXT_EVENTS).find(eventId);
    ClipRange range = ClipRange.of(alert);
    assertThat(range.frames()).isPositive();
    // The camera has sent the two frames after the flip that the clip asks for, before it is made.
    await(() -> new ClipFetcher(kafka).fetch(range, 0, 2).size() == range.frames() + 2, WAIT,
        "two frames of " + alert.getStreamId() + " after the alert");

    CliRun clip = CliRun.of("clip", eventId, "--out", dir.toString(), "--after", "2", "--quiet",
        "--bootstrap", bootstrap);
    assertThat(clip.exitCode()).as(clip.err()).isZero();
    assertThat(clip.out()).contains("clip of ALERT " + eventId);

    FrameImages images = new FrameImages(1920);
    List<FrameImages.Picture> expected = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : new ClipFetcher(kafka).fetch(range, 0, 2)) {
      try {
        expected.add(images.decode(record));
      } catch (FrameRejection e) {
        throw new AssertionError("The simulated cameras only send good frames: " + e.getMessage(), e);
      }
    }
    assertThat(expected).hasSizeGreaterThanOrEqualTo(range.frames());
    assertThat(expected.get(range.frames() - 1).sequence()).as("the range ends at the flipping frame")
        .isEqualTo(alert.getFrameSequence());
    for (int i = 1; i < expected.size(); i++) {
      assertThat(expected.get(i).sequence()).isGreaterThan(expected.get(i - 1).sequence());
    }

    for (int i = 0; i < expected.size(); i++) {
      Path png = dir.resolve(String.format("frame-%04d.png", i + 1));
      BufferedImage written = ImageIO.read(png.toFile());
      assertThat(written).as("%s decodes", png).isNotNull();
      assertThat(samePixels(written, expected.get(i).image())).as("%s is frame #%d", png, expected.get(i).sequence())
          .isTrue();
    }
    assertThat(dir.resolve(String.format("frame-%04d.png", expected.size() + 1))).doesNotExist();
    assertThat(JSON.readTree(dir.resolve("event.json").toFile()).get("eventId").asText()).isEqualTo(eventId);

    int videoFrames = 0;
    try (FFmpegFrameGrabber video = new FFmpegFrameGrabber(dir.resolve("clip.mp4").toFile())) {
      video.start();
      for (Frame frame = video.grabImage(); frame != null; frame = video.grabImage()) {
        videoFrames++;
      }
      video.stop();
    }
    assertThat(videoFrames).as("frames in clip.mp4").isEqualTo(expected.size());
  }

  @Test
  @Order(3)
  void clipSaysClearlyWhenTheEventIsNotThere(@TempDir Path dir) {
    CliRun clip = CliRun.of("clip", "no-such-event", "--out", dir.toString(), "--quiet", "--bootstrap", bootstrap);
    assertThat(clip.exitCode()).isNotZero();
    assertThat(clip.err()).contains("No committed event no-such-event");
    assertThat(dir).isEmptyDirectory();
  }

  /** The tiles whose caption the model has written. */
  private static int captioned(WebDriver page) {
    int captioned = 0;
    for (WebElement caption : page.findElements(By.cssSelector(".tile .caption"))) {
      String text = caption.getText();
      if (!text.isBlank() && !text.equals("(no caption yet)")) {
        captioned++;
      }
    }
    return captioned;
  }

  /** Fills {@code into} with the run's committed ALERTs so far. */
  private static List<JsonNode> alerts(List<JsonNode> into) {
    CliRun tail = CliRun.of("tail", "--bootstrap", bootstrap, "--from-beginning", "--kind", "ALERT", "--json",
        "--max", "1", "--timeout", "5");
    into.clear();
    for (String line : tail.out().split("\n")) {
      if (!line.isBlank()) {
        try {
          into.add(JSON.readTree(line));
        } catch (java.io.IOException e) {
          throw new AssertionError("Not a JSON line from tail: " + line, e);
        }
      }
    }
    return into;
  }

  private static boolean samePixels(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      return false;
    }
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
          return false;
        }
      }
    }
    return true;
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Waited " + timeout.toSeconds() + " s for " + what + "; the demo said:\n" + demoErr);
      }
      Thread.sleep(500);
    }
  }
}
