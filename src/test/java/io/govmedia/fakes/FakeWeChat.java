package io.govmedia.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small WeChat API server speaking WeChat's HTTP protocol on loopback, for tests that drive WxJava (or our
 * own clients) against it. It knows registered apps (AppID → AppSecret), hands out access tokens the way
 * {@code /cgi-bin/token} and {@code /cgi-bin/stable_token} do, counts token fetches per app, and plays
 * scripted failures ({@code {"errcode": …}}) on any path. Later features add their endpoints here.
 */
public final class FakeWeChat implements AutoCloseable {

  private record Token(String value, long expiresAtMillis) {}

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, Token> stableTokens = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tokenFetches = new ConcurrentHashMap<>();
  private final Map<String, Deque<Integer>> scriptedErrors = new ConcurrentHashMap<>();
  private HttpServer server;

  private FakeWeChat() {
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

  /** The access token currently valid for the app, if one was handed out. */
  public String currentToken(String appId) {
    Token token = stableTokens.get(appId);
    return token == null ? null : token.value();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router.route().handler(this::scripted);
    router.get("/cgi-bin/token").handler(this::token);
    router.post("/cgi-bin/stable_token").handler(this::stableToken);
    return router;
  }

  private void scripted(RoutingContext ctx) {
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

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
