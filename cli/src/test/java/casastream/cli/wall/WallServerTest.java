package casastream.cli.wall;

import static org.assertj.core.api.Assertions.assertThat;

import casastream.cli.CliRun;
import casastream.cli.TestEvents;
import casastream.cli.embedded.EmbeddedKafka;
import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.queries.StandingQueryClient;
import casastream.operators.kafka.Topics;
import casastream.schemas.AvroCodec;
import casastream.schemas.StandingQuery;
import casastream.schemas.TextEvent;
import casastream.schemas.TextEventKind;
import casastream.testkit.ListeningSockets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wall's server against a real in-process broker: frames produced by `produce`, text events
 * written to the events topic, standing questions through the control topic; its endpoints read
 * over HTTP. The page itself, in a browser against the running job, is {@link StreamWallBrowserTest}.
 */
class WallServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static EmbeddedKafka kafka;
  private static WallServer wall;
  private static String base;

  @BeforeAll
  static void startBrokerFramesEventsAndWall() throws Exception {
    kafka = EmbeddedKafka.start("localhost", 0);
    assertThat(CliRun.of("produce", "--synthetic", "2", "--frames", "3", "--no-pace", "--quiet",
        "--bootstrap", kafka.bootstrapServers()).exitCode()).isZero();
    KafkaAccess access = new KafkaAccess(kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer = access.producer()) {
      send(producer, TestEvents.event("sim-1", 1, TextEventKind.CAPTION, "a red circle", null));
      send(producer, TestEvents.event("sim-2", 1, TextEventKind.CAPTION, "a blue square", null));
      send(producer, TestEvents.event("sim-2", 2, TextEventKind.ANSWER, "no", "red"));
      send(producer, TestEvents.event("sim-2", 3, TextEventKind.ALERT, "yes", "red"));
      producer.flush();
    }
    new StandingQueryClient(access, Topics.QUERIES).add(
        casastream.cli.tools.queries.QuerySpecs.upsert("red", "is there a red circle ?",
            casastream.schemas.AnswerMode.YES_NO, List.of(), 0));
    wall = WallServer.start(access, WallOptions.of("localhost", 0));
    base = "http://localhost:" + wall.port();
    await(() -> get("/api/streams").path("total").asInt() == 2
        && get("/api/streams").path("streams").findValues("thumbnailVersion").stream().allMatch(v -> v.asLong() > 0)
        && get("/api/questions").size() == 1, "two streams with thumbnails and the question");
  }

  @AfterAll
  static void stop() {
    if (wall != null) {
      wall.close();
    }
    kafka.close();
  }

  @Test
  void showsEachStreamsLatestCaptionAnswersAndThumbnailInPages() throws Exception {
    JsonNode page = get("/api/streams?page=0&size=1");
    assertThat(page.get("total").asInt()).isEqualTo(2);
    assertThat(page.get("streams")).hasSize(1);
    assertThat(page.get("streams").get(0).get("streamId").asText()).isEqualTo("sim-1");
    assertThat(get("/api/streams?page=1&size=1").get("streams").get(0).get("streamId").asText()).isEqualTo("sim-2");

    JsonNode sim2 = get("/api/stream?id=sim-2");
    assertThat(sim2.get("caption").asText()).isEqualTo("a blue square");
    assertThat(sim2.get("answers").get("red").asText()).isEqualTo("yes");
    assertThat(sim2.get("lastAlertQuery").asText()).isEqualTo("red");

    HttpResponse<byte[]> thumbnail = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/thumbnail?stream=sim-1")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.body()))).isNotNull();
  }

  @Test
  void filtersByStreamIdOrPrefix() throws Exception {
    assertThat(get("/api/streams?filter=sim-2").get("total").asInt()).isEqualTo(1);
    assertThat(get("/api/streams?filter=sim-*").get("total").asInt()).isEqualTo(2);
    assertThat(get("/api/streams?filter=cam").get("total").asInt()).isZero();
    assertThat(get("/api/alerts?filter=sim-1")).isEmpty();
    JsonNode alerts = get("/api/alerts?filter=sim-2");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).get("queryId").asText()).isEqualTo("red");
    assertThat(alerts.get(0).get("frames").asInt()).isEqualTo(3);
  }

  @Test
  void malformedRequestsGetAClear4xxAndChangeNothing() throws Exception {
    List<StandingQuery> before = questions();
    long version = get("/api/streams").get("total").asLong();

    assertStatus(send("GET", "/api/stream?id=no-such-stream", null, null), 404, "No stream no-such-stream");
    assertStatus(send("GET", "/api/thumbnail?stream=no-such-stream", null, null), 404, "No stream");
    assertStatus(send("GET", "/api/stream?id=" + "x".repeat(300), null, null), 400, "longer than 256");
    assertStatus(send("GET", "/api/stream?id=bad%07id", null, null), 400, "control characters");
    assertStatus(send("GET", "/api/streams?page=-1", null, null), 400, "page must be");
    assertStatus(send("GET", "/api/streams?size=100000", null, null), 400, "size must be");
    assertStatus(send("GET", "/api/clips/not-an-alert", null, null), 404, "No alert not-an-alert");
    assertStatus(send("GET", "/api/nothing-here", null, null), 404, "not found");
    String json = "application/json";
    assertStatus(send("POST", "/api/questions", "{\"id\":\"bad id!\",\"question\":\"is it ?\"}", json), 400, "question id");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"  \"}", json), 400, "1 to 200 characters");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"" + "a".repeat(201) + "\"}", json), 400,
        "1 to 200 characters");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"is it ?\",\"mode\":\"maybe\"}", json), 400,
        "yes_no or caption");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"is it ?\",\"evil\":1}", json), 400,
        "not the question form");
    assertStatus(send("POST", "/api/questions", "not json", json), 400, "not the question form");
    assertStatus(send("POST", "/api/questions", "id=q2&question=x", "application/x-www-form-urlencoded"), 415, "JSON");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"" + "a".repeat(20_000) + "\"}", json), 413,
        "larger than 16384 bytes");
    assertStatus(send("POST", "/api/questions", "{\"id\":\"q2\",\"question\":\"" + "a".repeat(600_000) + "\"}", json), 413,
        "larger than 16384 bytes");
    assertStatus(send("DELETE", "/api/questions/no-such-question", null, null), 404, "No standing question");
    HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/questions"))
        .header("Origin", "http://evil.example").header("Content-Type", json)
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"q3\",\"question\":\"is it ?\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertStatus(foreign, 403, "own page only");

    assertThat(questions()).isEqualTo(before);
    assertThat(get("/api/streams").get("total").asLong()).isEqualTo(version);
  }

  @Test
  void questionsAddedAndRemovedFromThePageGoThroughTheControlTopic() throws Exception {
    HttpResponse<String> added = send("POST", "/api/questions",
        "{\"id\":\"blue\",\"question\":\"is there a blue square ?\",\"mode\":\"yes_no\",\"streams\":\"sim-*\"}",
        "application/json");
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(questions()).extracting(StandingQuery::getQueryId).contains("blue");
    await(() -> get("/api/questions").findValuesAsText("id").contains("blue"), "the wall to see the new question");

    assertThat(send("DELETE", "/api/questions/blue", null, null).statusCode()).isEqualTo(204);
    assertThat(questions()).extracting(StandingQuery::getQueryId).doesNotContain("blue");
    await(() -> !get("/api/questions").findValuesAsText("id").contains("blue"), "the wall to drop the question");
  }

  @Test
  void servesThePageWithAPolicyThatAllowsNoInlineScriptAndListensOnLoopbackOnly() throws Exception {
    HttpResponse<String> page = send("GET", "/", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"wall.js\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
    assertThat(ListeningSockets.ofThisProcess()).filteredOn(l -> l.port() == wall.port())
        .isNotEmpty().allSatisfy(l -> assertThat(l.loopback()).isTrue());
  }

  private static List<StandingQuery> questions() {
    return new StandingQueryClient(new KafkaAccess(kafka.bootstrapServers()), Topics.QUERIES).list();
  }

  private static void assertStatus(HttpResponse<String> response, int status, String message) throws Exception {
    assertThat(response.statusCode()).as("status of %s", response.request().uri()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains(message);
  }

  private static HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) {
    try {
      HttpResponse<String> response = send("GET", path, null, null);
      assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, TextEvent event) {
    producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, event.getStreamId().getBytes(StandardCharsets.UTF_8),
        AvroCodec.textEvents().encode(event)));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Waited 30 s for " + what);
      }
      Thread.sleep(100);
    }
  }
}
