package casastream.cli.wall;

import casastream.cli.tools.KafkaAccess;
import casastream.cli.tools.ToolException;
import casastream.cli.tools.TopicScan;
import casastream.cli.tools.clip.FramesExpiredException;
import casastream.cli.tools.queries.QuerySpecs;
import casastream.cli.tools.queries.StandingQueryClient;
import casastream.schemas.StandingQuery;
import casastream.schemas.TextEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stream wall: a small static page (no build step) and the JSON endpoints it calls, on an
 * embedded Javalin (Jetty) server. Reads Kafka through {@link WallFeed}; writes only standing
 * questions, to the same control topic as {@code queries}. Listens on localhost unless told
 * otherwise. Every input is checked by {@link WallInput} before anything changes; request bodies
 * are capped at {@link #MAX_BODY_BYTES}; the page renders data with textContent only, and the
 * Content-Security-Policy allows no inline script. Live updates are one "changed" message per
 * {@link #UPDATE_MILLIS} at most (server-sent events), whatever the event rate: the page then
 * fetches the one grid page it shows.
 */
public final class WallServer implements AutoCloseable {

  static final int MAX_BODY_BYTES = 16 * 1024;
  /** An oversized body up to this size is read and dropped, so the client gets its 413 before the connection closes. */
  static final int MAX_DRAINED_BYTES = 1024 * 1024;
  static final long UPDATE_MILLIS = 500;
  static final int MAX_LIVE_CLIENTS = 32;
  static final int MAX_ALERTS = 200;
  static final int DEFAULT_PAGE_SIZE = 24;
  private static final String CSP = "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final WallState state;
  private final WallFeed feed;
  private final WallClips clips;
  private final StandingQueryClient queries;
  private final Javalin app;
  private final List<SseClient> live = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService updates;
  private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private WallServer(KafkaAccess kafka, WallOptions options) {
    this.state = new WallState(options.maxStreams(), MAX_ALERTS);
    this.queries = new StandingQueryClient(kafka, options.queriesTopic());
    this.clips = new WallClips(kafka);
    this.feed = new WallFeed(kafka, options, state);
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = options.bind();
      config.jetty.port = options.port();
      config.jetty.threadPool = new QueuedThreadPool(32, 4);
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.jsonMapper(new JavalinJackson(json, false));
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/casastream/cli/wall/page";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-cache");
      });
      config.routes.before(this::guard);
      config.routes.get("/api/streams", this::streams);
      config.routes.get("/api/stream", this::stream);
      config.routes.get("/api/thumbnail", this::thumbnail);
      config.routes.get("/api/alerts", this::alerts);
      config.routes.get("/api/questions", ctx -> ctx.json(state.questions().stream().map(QuestionView::of).toList()));
      config.routes.post("/api/questions", this::addQuestion);
      config.routes.delete("/api/questions/{id}", this::removeQuestion);
      config.routes.get("/api/clips/{eventId}", this::clip);
      config.routes.get("/api/clips/{eventId}/{index}", this::clipFrame);
      config.routes.sse("/api/updates", this::follow);
      config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
      config.routes.exception(FramesExpiredException.class, (e, ctx) -> error(ctx, HttpStatus.GONE, e.getMessage()));
      config.routes.exception(ToolException.class, (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage()));
    });
    this.updates = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "casa-wall-updates");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Reads the topics (which must exist: the job's, as `demo` or `broker` create them) and starts serving. */
  public static WallServer start(KafkaAccess kafka, WallOptions options) {
    kafka.requireReachable();
    try (KafkaConsumer<byte[], byte[]> probe = kafka.committedConsumer()) {
      for (String topic : List.of(options.framesTopic(), options.eventsTopic(), options.queriesTopic())) {
        if (TopicScan.partitions(probe, topic).isEmpty()) {
          throw new ToolException("Topic " + topic + " does not exist on " + kafka.bootstrapServers()
              + ": start the job's Kafka with `./casa-stream demo` or `./casa-stream broker` (they create the topics)");
        }
      }
    }
    WallServer server = new WallServer(kafka, options);
    server.feed.start();
    try {
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw new ToolException("The wall cannot listen on " + options.bind() + ":" + options.port() + ": "
          + ToolException.rootMessage(e) + "; choose another --port (0 picks a free one)", e);
    }
    server.updates.scheduleWithFixedDelay(server::pushUpdate, UPDATE_MILLIS, UPDATE_MILLIS, TimeUnit.MILLISECONDS);
    return server;
  }

  public int port() {
    return app.port();
  }

  /** Security headers on every answer; writes only from this page (same origin), and only JSON. */
  private void guard(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD")) {
      return;
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.equals(ctx.scheme() + "://" + ctx.host())) {
      throw new HttpResponseException(403, "Requests that change the wall come from the wall's own page only");
    }
    if (ctx.contentLength() > MAX_BODY_BYTES) {
      drainIfSmall(ctx);
      throw new HttpResponseException(413, "The request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
  }

  /**
   * Answering before the body is read makes Jetty close the connection under a client still
   * sending it, which then sees a reset instead of the 413; so a body that is only somewhat too
   * large is read and dropped first. Larger ones are not read (the connection closes).
   */
  private static void drainIfSmall(Context ctx) {
    if (ctx.contentLength() > MAX_DRAINED_BYTES) {
      ctx.header("Connection", "close");
      return;
    }
    try {
      ctx.req().getInputStream().skipNBytes(ctx.contentLength());
    } catch (IOException e) {
      ctx.header("Connection", "close");
    }
  }

  private void streams(Context ctx) {
    String prefix = WallInput.filter(ctx.queryParam("filter"));
    int page = WallInput.number(ctx.queryParam("page"), "page", 0, WallInput.MAX_PAGE, 0);
    int size = WallInput.number(ctx.queryParam("size"), "size", 1, WallInput.MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    ctx.json(state.page(prefix, page, size, state.questionIds()));
  }

  private void stream(Context ctx) {
    String id = WallInput.streamId(ctx.queryParam("id"), "stream id");
    ctx.json(state.stream(id, state.questionIds()).orElseThrow(() -> unknownStream(id)));
  }

  private void thumbnail(Context ctx) {
    String id = WallInput.streamId(ctx.queryParam("stream"), "stream id");
    byte[] png = state.thumbnail(id).orElseThrow(() -> unknownStream(id));
    ctx.contentType("image/png").result(png);
  }

  private void alerts(Context ctx) {
    String prefix = WallInput.filter(ctx.queryParam("filter"));
    int max = WallInput.number(ctx.queryParam("max"), "max", 1, MAX_ALERTS, 50);
    ctx.json(state.alerts(prefix, max).stream().map(AlertView::of).toList());
  }

  private void addQuestion(Context ctx) {
    if (!ctx.isJson()) {
      throw new HttpResponseException(415, "Send the question as JSON (Content-Type: application/json)");
    }
    WallInput.QuestionForm form;
    try {
      form = json.readValue(ctx.bodyAsBytes(), WallInput.QuestionForm.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The body is not the question form's JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("The body could not be read: " + e.getMessage());
    }
    StandingQuery query = WallInput.question(form);
    queries.add(query);
    ctx.status(HttpStatus.CREATED).json(QuestionView.of(query));
  }

  private void removeQuestion(Context ctx) {
    String id = WallInput.queryId(ctx.pathParam("id"));
    if (!queries.remove(id)) {
      throw new HttpResponseException(404, "No standing question " + id);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void clip(Context ctx) {
    WallClips.Clip clip = clipOf(ctx.pathParam("eventId"));
    ctx.json(Map.of("eventId", clip.eventId(), "streamId", clip.streamId(), "frames", clip.frames().stream()
        .map(f -> Map.of("sequence", f.sequence(), "captureTime", f.captureTime(), "inRange", f.inRange()))
        .toList()));
  }

  private void clipFrame(Context ctx) {
    WallClips.Clip clip = clipOf(ctx.pathParam("eventId"));
    int index = WallInput.number(ctx.pathParam("index"), "frame index", 0, Math.max(0, clip.frames().size() - 1), -1);
    if (index < 0 || clip.frames().isEmpty()) {
      throw new IllegalArgumentException("Give the frame's index in the clip");
    }
    ctx.contentType("image/png").result(clip.frames().get(index).png());
  }

  private WallClips.Clip clipOf(String eventId) {
    TextEvent alert = state.alert(eventId)
        .orElseThrow(() -> new HttpResponseException(404, "No alert " + eventId + " among the wall's latest alerts"));
    return clips.of(alert);
  }

  private void follow(SseClient client) {
    if (live.size() >= MAX_LIVE_CLIENTS) {
      client.sendEvent("refused", "The wall serves at most " + MAX_LIVE_CLIENTS + " live pages at once");
      client.close();
      return;
    }
    client.keepAlive();
    client.onClose(() -> live.remove(client));
    live.add(client);
    client.sendEvent("changed", Long.toString(state.version()));
  }

  private long lastPushed = -1;

  /** At most one message per interval to each live page, and none when nothing changed. */
  private void pushUpdate() {
    long version = state.version();
    if (version == lastPushed) {
      return;
    }
    lastPushed = version;
    for (SseClient client : live) {
      if (client.terminated()) {
        live.remove(client);
      } else {
        client.sendEvent("changed", Long.toString(version));
      }
    }
  }

  private static HttpResponseException unknownStream(String id) {
    return new HttpResponseException(404, "No stream " + id + " on the wall (yet)");
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message == null ? status.getMessage() : message));
  }

  @Override
  public void close() {
    updates.shutdownNow();
    live.forEach(SseClient::close);
    app.stop();
    feed.close();
  }

  /** A standing question as the page lists it. */
  record QuestionView(String id, String question, String mode, String description) {
    static QuestionView of(StandingQuery query) {
      return new QuestionView(query.getQueryId(), query.getQuestion(), query.getAnswerMode().name(),
          QuerySpecs.describe(query));
    }
  }

  /** An alert as the page lists it. */
  record AlertView(String eventId, String streamId, String queryId, String answer, long captureTime,
      long frameSequence, int frames) {
    static AlertView of(TextEvent alert) {
      return new AlertView(alert.getEventId(), alert.getStreamId(), alert.getQueryId(), alert.getText(),
          alert.getCaptureTime().toEpochMilli(), alert.getFrameSequence(),
          alert.getAlertFrames() == null ? 1 : alert.getAlertFrames().getFrames());
    }
  }
}
