package io.govmedia.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small WeChat API server speaking WeChat's HTTP protocol on loopback, for tests that drive WxJava (or our
 * own clients) against it. It knows registered apps (AppID → AppSecret), hands out access tokens the way
 * {@code /cgi-bin/token} and {@code /cgi-bin/stable_token} do, counts token fetches per app, and plays
 * scripted failures ({@code {"errcode": …}}) on any path. Later features add their endpoints here: menu/create
 * (remembers the last menu per app) and user/info (answers scripted followers); both want the app's current
 * access token, as WeChat does (else 40001). Publishing's endpoints (material, uploadimg, drafts, free publish,
 * mass send) live in {@link FakeWeChatPublishing}, the inbox's (customer-service and template messages, article
 * comments) in {@link FakeWeChatInbox}; their records are read here. Knobs for timing: a latency on
 * every call ({@link #latency}) and answers held back on one path after the work is done ({@link #delayAnswer}).
 */
public final class FakeWeChat implements AutoCloseable {

  private record Token(String value, long expiresAtMillis) {}

  /** When the fake received a slot's publishing call (submit or sendall) and on which of its ports. */
  public record Receipt(long atMillis, int port) {}

  static final String RECEIVED_AT = "receivedAt";

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, Token> stableTokens = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tokenFetches = new ConcurrentHashMap<>();
  private final Map<String, Deque<Integer>> scriptedErrors = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> lastMenus = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> followers = new ConcurrentHashMap<>();
  private final Map<String, Long> answerDelays = new ConcurrentHashMap<>();
  private final FakeWeChatPublishing publishing = new FakeWeChatPublishing(this);
  private final FakeWeChatInbox inbox = new FakeWeChatInbox(this);
  private final FakeWeChatMiniapp miniapp = new FakeWeChatMiniapp(this);
  private final Path uploads;
  private volatile long latencyMillis;
  private HttpServer server;

  private FakeWeChat() {
    try {
      uploads = Files.createTempDirectory("fake-wechat-uploads");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FakeWeChat start() {
    FakeWeChat fake = new FakeWeChat();
    try {
      fake.server = fake.vertx.createHttpServer().requestHandler(fake.router()).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      fake.close();
      throw new IllegalStateException("fake WeChat did not start", e);
    }
    return fake;
  }

  /** The base URL to configure as the WeChat API host (e.g. {@code WxMpHostConfig} apiHost). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * Another port serving the same fake (same apps, tokens and counters), so that a benchmark tells its server
   * instances apart by the base URL each is given ({@link Receipt#port}).
   */
  public String anotherBaseUrl() {
    HttpServer other = vertx.createHttpServer().requestHandler(router()).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + other.actualPort();
  }

  public FakeWeChat app(String appId, String appSecret) {
    secrets.put(appId, appSecret);
    return this;
  }

  /** The next calls to {@code path} answer these WeChat error codes, in order, before answering normally. */
  public FakeWeChat failNext(String path, Integer... errcodes) {
    scriptedErrors.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(java.util.List.of(errcodes));
    return this;
  }

  /** How many access tokens were fetched for the app, over both token endpoints. */
  public int tokenFetches(String appId) {
    return tokenFetches.getOrDefault(appId, new AtomicInteger()).get();
  }

  /** How many requests reached the path, scripted failures included. */
  public int calls(String path) {
    return calls.getOrDefault(path, new AtomicInteger()).get();
  }

  /** The menu last created for the app through menu/create ({@code {"button": [...]}}), or null. */
  public JsonObject lastMenu(String appId) {
    JsonObject menu = lastMenus.get(appId);
    return menu == null ? null : menu.copy();
  }

  /** A follower that user/info answers for the app: {@code info} holds WeChat's fields (subscribe defaults to 1). */
  public FakeWeChat follower(String appId, String openid, JsonObject info) {
    followers.put(appId + "/" + openid, info.copy().put("openid", openid));
    return this;
  }

  /** Every API call is answered this much later (the benchmark's 20 ms WeChat); zero by default. */
  public FakeWeChat latency(Duration latency) {
    latencyMillis = latency.toMillis();
    return this;
  }

  /**
   * Calls to {@code path} do their work at once but are answered only after {@code millis} (0 turns it off), so a
   * client that times out meanwhile does not know that the work was done.
   */
  public FakeWeChat delayAnswer(String path, long millis) {
    if (millis <= 0) {
      answerDelays.remove(path);
    } else {
      answerDelays.put(path, millis);
    }
    return this;
  }

  /** The next free publish jobs end with these publish_status values (2 originality, 3 general, 4 audit failure). */
  public FakeWeChat nextJobsEnd(Integer... publishStatuses) {
    publishing.nextJobsEnd(publishStatuses);
    return this;
  }

  /** Free publish jobs submitted and accepted (freepublish/submit answered with a publish_id). */
  public int submits() {
    return publishing.submits();
  }

  /** Free publish jobs accepted for one slot (its id is the {@code s} parameter of the article's source URL). */
  public int submits(String slotId) {
    return publishing.submits(slotId);
  }

  /** Each slot's first accepted publishing call (freepublish/submit or mass/sendall), by slot id. */
  public Map<String, Receipt> publishingCalls() {
    return publishing.publishingCalls();
  }

  /** Drafts added per slot id, the {@code s} parameter of the article's content_source_url. */
  public Map<String, Integer> draftsPerSlot() {
    return publishing.draftsPerSlot();
  }

  /** Drafts added for a slot beyond its first, over all slots. */
  public int duplicateDrafts() {
    return publishing.duplicateDrafts();
  }

  /** The drafts added for a slot, as WeChat stores them (title, content, content_source_url, thumb_media_id…). */
  public List<JsonObject> drafts(String slotId) {
    return publishing.drafts(slotId);
  }

  /** Mass sends accepted with this clientmsgid (a repeat is refused with 45065 and not counted). */
  public int massSends(String clientMsgId) {
    return publishing.massSends(clientMsgId);
  }

  /** Mass sends accepted more than once for one clientmsgid or one draft/video: a channel seeing double. */
  public int duplicateMassSends() {
    return publishing.duplicateMassSends();
  }

  /** Whether freepublish/delete took the published article down. */
  public boolean articleDeleted(String articleId) {
    return publishing.articleDeleted(articleId);
  }

  /** Whether message/mass/delete took the mass message down. */
  public boolean massMessageDeleted(String msgId) {
    return publishing.massMessageDeleted(msgId);
  }

  /** The previews sent (message/mass/preview bodies, with the app's "appId"). */
  public List<JsonObject> previews() {
    return publishing.previews();
  }

  /** The customer-service messages (message/custom/send bodies) the app sent, oldest first. */
  public List<JsonObject> kefuMessages(String appId) {
    return inbox.kefuMessages(appId);
  }

  /** The template messages (message/template/send bodies) the app sent, oldest first. */
  public List<JsonObject> templateMessages(String appId) {
    return inbox.templateMessages(appId);
  }

  /** A citizen's comment under a mass-sent article ({@code msgDataId}, {@code index}); answers its user_comment_id. */
  public int articleComment(String msgDataId, int index, String openid, String content) {
    return inbox.comment(msgDataId, index, openid, content);
  }

  /** The replies added under article comments (comment/reply/add bodies), oldest first. */
  public List<JsonObject> commentReplies() {
    return inbox.replies();
  }

  /** The mini-program's side: login codes, content security, the message push ({@link FakeWeChatMiniapp}). */
  public FakeWeChatMiniapp miniapp() {
    return miniapp;
  }

  Vertx vertx() {
    return vertx;
  }

  /** The AppSecret of a registered app, or null. */
  String secretOf(String appId) {
    return appId == null ? null : secrets.get(appId);
  }

  /** The access token currently valid for the app, if one was handed out. */
  public String currentToken(String appId) {
    Token token = stableTokens.get(appId);
    return token == null ? null : token.value();
  }

  private Router router() {
    Router router = Router.router(vertx);
    BodyHandler plain = BodyHandler.create(false);
    BodyHandler files = BodyHandler.create(uploads.toString()).setDeleteUploadedFilesOnEnd(true);
    router.route().handler(ctx -> {
      ctx.put(RECEIVED_AT, System.currentTimeMillis());  // before the latency: the time the call arrived
      ctx.next();
    });
    router.route().handler(ctx -> (FakeWeChatPublishing.isUpload(ctx.request().path()) ? files : plain).handle(ctx));
    router.route().handler(this::latency);
    router.route().handler(this::scripted);
    router.get("/cgi-bin/token").handler(this::token);
    router.post("/cgi-bin/stable_token").handler(this::stableToken);
    router.post("/cgi-bin/menu/create").handler(this::menuCreate);
    router.get("/cgi-bin/user/info").handler(this::userInfo);
    publishing.routes(router);
    inbox.routes(router);
    miniapp.routes(router);
    return router;
  }

  private void latency(RoutingContext ctx) {
    long millis = latencyMillis;
    if (millis > 0) {
      vertx.setTimer(millis, t -> ctx.next());
    } else {
      ctx.next();
    }
  }

  private void scripted(RoutingContext ctx) {
    calls.computeIfAbsent(ctx.request().path(), p -> new AtomicInteger()).incrementAndGet();
    Deque<Integer> errors = scriptedErrors.get(ctx.request().path());
    Integer errcode = errors == null ? null : errors.poll();
    if (errcode == null) {
      ctx.next();
      return;
    }
    json(ctx, new JsonObject().put("errcode", errcode).put("errmsg", "scripted error " + errcode));
  }

  /** Classic token: every fetch hands out a new token and invalidates the previous one. */
  private void token(RoutingContext ctx) {
    String appId = ctx.request().getParam("appid");
    if (!credentialsMatch(ctx, appId, ctx.request().getParam("secret"))) {
      return;
    }
    stableTokens.put(appId, newToken());
    json(ctx, tokenAnswer(appId));
  }

  /** Stable token: the same token while it is valid, unless {@code force_refresh} is true. */
  private void stableToken(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String appId = body.getString("appid");
    if (!"client_credential".equals(body.getString("grant_type"))) {
      json(ctx, new JsonObject().put("errcode", 40002).put("errmsg", "invalid grant_type"));
      return;
    }
    if (!credentialsMatch(ctx, appId, body.getString("secret"))) {
      return;
    }
    Token current = stableTokens.get(appId);
    if (current == null || current.expiresAtMillis() < System.currentTimeMillis() || body.getBoolean("force_refresh", false)) {
      stableTokens.put(appId, newToken());
    }
    json(ctx, tokenAnswer(appId));
  }

  /** WeChat's own checks, in brief: 1 to 3 top-level buttons (else 40016). */
  private void menuCreate(RoutingContext ctx) {
    String appId = appOfToken(ctx);
    if (appId == null) {
      return;
    }
    JsonObject menu;
    try {
      menu = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      menu = null;
    }
    if (menu == null || menu.getJsonArray("button") == null || menu.getJsonArray("button").isEmpty()
      || menu.getJsonArray("button").size() > 3) {
      json(ctx, new JsonObject().put("errcode", 40016).put("errmsg", "invalid button size"));
      return;
    }
    lastMenus.put(appId, menu);
    json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }

  private void userInfo(RoutingContext ctx) {
    String appId = appOfToken(ctx);
    if (appId == null) {
      return;
    }
    JsonObject info = followers.get(appId + "/" + ctx.request().getParam("openid"));
    if (info == null) {
      json(ctx, new JsonObject().put("errcode", 40003).put("errmsg", "invalid openid"));
      return;
    }
    json(ctx, new JsonObject().put("subscribe", 1).mergeIn(info));
  }

  /** The app whose current token the request carries; otherwise answers 40001 as WeChat does and gives null. */
  String appOfToken(RoutingContext ctx) {
    String token = ctx.request().getParam("access_token");
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Token> entry : stableTokens.entrySet()) {
      if (entry.getValue().value().equals(token) && entry.getValue().expiresAtMillis() > now) {
        return entry.getKey();
      }
    }
    json(ctx, new JsonObject().put("errcode", 40001)
      .put("errmsg", "invalid credential, access_token is invalid or not latest"));
    return null;
  }

  private boolean credentialsMatch(RoutingContext ctx, String appId, String secret) {
    tokenFetches.computeIfAbsent(String.valueOf(appId), a -> new AtomicInteger()).incrementAndGet();
    if (appId == null || !secrets.containsKey(appId)) {
      json(ctx, new JsonObject().put("errcode", 40013).put("errmsg", "invalid appid"));
      return false;
    }
    if (!secrets.get(appId).equals(secret)) {
      json(ctx, new JsonObject().put("errcode", 40125).put("errmsg", "invalid appsecret"));
      return false;
    }
    return true;
  }

  private JsonObject tokenAnswer(String appId) {
    Token token = stableTokens.get(appId);
    long expiresIn = Math.max(0, (token.expiresAtMillis() - System.currentTimeMillis()) / 1000);
    return new JsonObject().put("access_token", token.value()).put("expires_in", expiresIn);
  }

  private static Token newToken() {
    return new Token("FAKE_" + UUID.randomUUID().toString().replace("-", ""), System.currentTimeMillis() + 7_200_000);
  }

  void json(RoutingContext ctx, JsonObject body) {
    Long delay = answerDelays.get(ctx.request().path());
    if (delay == null) {
      answer(ctx, body);
    } else {
      vertx.setTimer(delay, t -> answer(ctx, body));
    }
  }

  private static void answer(RoutingContext ctx, JsonObject body) {
    if (!ctx.response().closed()) {
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
