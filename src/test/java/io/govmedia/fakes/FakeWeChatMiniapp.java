package io.govmedia.fakes;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The mini-program half of {@link FakeWeChat}, as WeChat documents it: {@code GET /sns/jscode2session} (codes a test
 * registers, each good once for 5 minutes: else 40029, a used one 40163), content security v2 ({@code POST
 * /wxa/msg_sec_check}: words a test marks make {@code risky} or {@code review}; {@code POST /wxa/media_check_async}:
 * answers a trace_id and records the URL), both wanting the app's current access token (else 40001), and the
 * mini-program's message push: {@link #pushVerdict} posts a {@code wxa_media_check} event to the callback URL a test
 * configured, signed, in JSON or XML, plain or encrypted (safe mode), exactly as WeChat does. Refusals such as
 * 61010 or -1 are scripted with {@link FakeWeChat#failNext}.
 */
public final class FakeWeChatMiniapp {

  /** A content check WeChat received: the app, and the body it was sent. */
  public record Check(String appId, JsonObject body) {}

  /** Where WeChat pushes an app's messages, with the keys and format set in the mini-program's console. */
  public record PushConfig(String url, String token, String aesKey, boolean json, boolean encrypted) {}

  /** What the callback answered a push. */
  public record PushAnswer(int status, String body) {}

  private record Code(String appId, String openid, String unionid, long expiresAtMillis) {}

  private static final long CODE_LIFETIME_MILLIS = 5 * 60_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FakeWeChat wechat;
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
  private final Map<String, String> sessionKeys = new ConcurrentHashMap<>();  // openid → the last one handed out
  private final Map<String, String> riskyWords = new ConcurrentHashMap<>();  // word → label
  private final Map<String, String> reviewWords = new ConcurrentHashMap<>();
  private final List<Check> textChecks = new CopyOnWriteArrayList<>();
  private final Map<String, Check> mediaChecks = new ConcurrentHashMap<>();  // trace_id →
  private final Map<String, PushConfig> pushes = new ConcurrentHashMap<>();  // appId →

  FakeWeChatMiniapp(FakeWeChat wechat) {
    this.wechat = wechat;
  }

  void routes(Router router) {
    router.get("/sns/jscode2session").handler(this::jscode2session);
    router.post("/wxa/msg_sec_check").handler(this::msgSecCheck);
    router.post("/wxa/media_check_async").handler(this::mediaCheckAsync);
  }

  /** A login code (wx.login) of the app for this citizen; {@code unionid} null when WeChat gives none. */
  public String code(String appId, String openid, String unionid) {
    String code = "0" + UUID.randomUUID().toString().replace("-", "").substring(0, 31);
    codes.put(code, new Code(appId, openid, unionid, System.currentTimeMillis() + CODE_LIFETIME_MILLIS));
    return code;
  }

  /** The session key last handed out to the citizen (jscode2session's session_key), or null. */
  public String sessionKeyOf(String openid) {
    return sessionKeys.get(openid);
  }

  /** Text containing the word is {@code risky} with this label (20001 politics, 20006 crime…). */
  public FakeWeChatMiniapp risky(String word, int label) {
    riskyWords.put(word, String.valueOf(label));
    return this;
  }

  /** Text containing the word is {@code review} with this label. */
  public FakeWeChatMiniapp review(String word, int label) {
    reviewWords.put(word, String.valueOf(label));
    return this;
  }

  /** The text checks received for an openid, oldest first. */
  public List<Check> textChecks(String openid) {
    return textChecks.stream().filter(c -> openid.equals(c.body().getString("openid"))).toList();
  }

  /** The media check WeChat accepted under the trace id, or null. */
  public Check mediaCheck(String traceId) {
    return mediaChecks.get(traceId);
  }

  /** The media checks received for an openid. */
  public List<Check> mediaChecks(String openid) {
    return mediaChecks.values().stream().filter(c -> openid.equals(c.body().getString("openid"))).toList();
  }

  /** Configures the app's message push as an admin does in the mini-program's console (消息推送). */
  public FakeWeChatMiniapp pushTo(String appId, PushConfig config) {
    pushes.put(appId, config);
    return this;
  }

  /**
   * Pushes the verdict of an accepted media check to the app's callback, as WeChat does when the check is done:
   * event {@code wxa_media_check} with the trace_id, {@code result.suggest} and {@code result.label}.
   */
  public PushAnswer pushVerdict(String traceId, String suggest, int label) {
    Check check = mediaChecks.get(traceId);
    if (check == null) {
      throw new IllegalArgumentException("no media check with trace_id " + traceId);
    }
    return push(check.appId(), verdictEvent(check, suggest, label));
  }

  /** Pushes any event (as JSON fields) to the app's callback in its configured format and mode. */
  public PushAnswer push(String appId, JsonObject event) {
    PushConfig config = pushes.get(appId);
    if (config == null) {
      throw new IllegalStateException("no message push configured for " + appId);
    }
    return send(config, delivery(appId, config, event, System.currentTimeMillis() / 1000, nonce()));
  }

  /** The request WeChat would send for the event (query string and body), for tests that replay or alter it. */
  public WeChatCallbacks.Delivery delivery(String appId, PushConfig config, JsonObject event, long timestamp,
                                           String nonce) {
    String plain = config.json() ? event.encode() : xml(event);
    String query = "signature=" + WeChatCallbacks.sha1(config.token(), String.valueOf(timestamp), nonce)
      + "&timestamp=" + timestamp + "&nonce=" + nonce;
    if (!config.encrypted()) {
      return new WeChatCallbacks.Delivery(query, plain);
    }
    String encrypted = new WeChatCallbacks(config.token(), config.aesKey(), appId).encrypt(plain, appId);
    String envelope = config.json()
      ? new JsonObject().put("ToUserName", event.getString("ToUserName")).put("Encrypt", encrypted).encode()
      : "<xml><ToUserName><![CDATA[" + event.getString("ToUserName") + "]]></ToUserName><Encrypt><![CDATA["
        + encrypted + "]]></Encrypt></xml>";
    return new WeChatCallbacks.Delivery(query + "&encrypt_type=aes&msg_signature="
      + WeChatCallbacks.sha1(config.token(), String.valueOf(timestamp), nonce, encrypted), envelope);
  }

  /** Posts a delivery to the configured callback URL and waits for the answer. */
  public PushAnswer send(PushConfig config, WeChatCallbacks.Delivery delivery) {
    HttpClient client = wechat.vertx().createHttpClient();
    try {
      String url = config.url() + "?" + delivery.query();
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
          .putHeader("Content-Type", config.json() ? "application/json" : "text/xml"))
        .compose(request -> request.send(Buffer.buffer(delivery.body())))
        .compose(response -> response.body().map(body -> answer(response, body)))
        .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("push to " + config.url() + " failed", e);
    } finally {
      client.close();
    }
  }

  /** The wxa_media_check event WeChat pushes for a finished check. */
  public static JsonObject verdictEvent(Check check, String suggest, int label) {
    String traceId = mediaTraceId(check);
    return new JsonObject().put("ToUserName", "gh_" + check.appId().substring(2, 14))
      .put("FromUserName", check.body().getString("openid")).put("CreateTime", System.currentTimeMillis() / 1000)
      .put("MsgType", "event").put("Event", "wxa_media_check").put("appid", check.appId()).put("trace_id", traceId)
      .put("version", 2)
      .put("detail", new JsonArray().add(new JsonObject().put("strategy", "content_model").put("errcode", 0)
        .put("suggest", suggest).put("label", label).put("prob", 90)))
      .put("errcode", 0).put("errmsg", "ok")
      .put("result", new JsonObject().put("suggest", suggest).put("label", label));
  }

  private static String mediaTraceId(Check check) {
    return check.body().getString("trace_id");
  }

  private static PushAnswer answer(HttpClientResponse response, Buffer body) {
    return new PushAnswer(response.statusCode(), body.toString());
  }

  private void jscode2session(RoutingContext ctx) {
    String appId = ctx.request().getParam("appid");
    String secret = wechat.secretOf(appId);
    if (secret == null) {
      error(ctx, 40013, "invalid appid");
    } else if (!secret.equals(ctx.request().getParam("secret"))) {
      error(ctx, 40125, "invalid appsecret");
    } else if (!"authorization_code".equals(ctx.request().getParam("grant_type"))) {
      error(ctx, 40002, "invalid grant_type");
    } else {
      String jsCode = String.valueOf(ctx.request().getParam("js_code"));
      Code code = codes.remove(jsCode);
      if (code == null && usedCodes.contains(jsCode)) {
        error(ctx, 40163, "code been used");
      } else if (code == null || !code.appId().equals(appId) || code.expiresAtMillis() < System.currentTimeMillis()) {
        error(ctx, 40029, "invalid code");
      } else {
        usedCodes.add(jsCode);
        String sessionKey = sessionKey();
        sessionKeys.put(code.openid(), sessionKey);
        JsonObject session = new JsonObject().put("openid", code.openid()).put("session_key", sessionKey);
        if (code.unionid() != null) {
          session.put("unionid", code.unionid());
        }
        wechat.json(ctx, session);
      }
    }
  }

  private void msgSecCheck(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = checkBody(ctx, appId, "content");
    if (body == null) {
      return;
    }
    textChecks.add(new Check(appId, body));
    String content = body.getString("content");
    String suggest = "pass";
    String label = "100";
    for (Map.Entry<String, String> word : reviewWords.entrySet()) {
      if (content.contains(word.getKey())) {
        suggest = "review";
        label = word.getValue();
      }
    }
    for (Map.Entry<String, String> word : riskyWords.entrySet()) {
      if (content.contains(word.getKey())) {
        suggest = "risky";
        label = word.getValue();
      }
    }
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok")
      .put("result", new JsonObject().put("suggest", suggest).put("label", Integer.valueOf(label)))
      .put("detail", new JsonArray().add(new JsonObject().put("strategy", "content_model").put("errcode", 0)
        .put("suggest", suggest).put("label", Integer.valueOf(label)).put("prob", 90)))
      .put("trace_id", traceId()));
  }

  private void mediaCheckAsync(RoutingContext ctx) {
    String appId = wechat.appOfToken(ctx);
    JsonObject body = checkBody(ctx, appId, "media_url");
    if (body == null) {
      return;
    }
    if (!Integer.valueOf(2).equals(body.getInteger("media_type"))) {
      error(ctx, 47001, "data format error: media_type");
      return;
    }
    String traceId = traceId();
    mediaChecks.put(traceId, new Check(appId, body.copy().put("trace_id", traceId)));
    wechat.json(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("trace_id", traceId));
  }

  /** The v2 body (version 2, an openid, a scene 1 to 4, the field), or null after answering WeChat's error. */
  private JsonObject checkBody(RoutingContext ctx, String appId, String field) {
    if (appId == null) {
      return null;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    Object scene = body == null ? null : body.getValue("scene");
    if (body == null || !"2".equals(String.valueOf(body.getValue("version")))
      || !(scene instanceof Number n) || n.intValue() < 1 || n.intValue() > 4
      || !(body.getValue(field) instanceof String value) || value.isEmpty()) {
      error(ctx, 47001, "data format error");
      return null;
    }
    if (!(body.getValue("openid") instanceof String openid) || openid.isEmpty()) {
      error(ctx, 40003, "invalid openid");
      return null;
    }
    return body;
  }

  private static String xml(JsonObject event) {
    StringBuilder out = new StringBuilder("<xml>");
    event.forEach(field -> element(out, field.getKey(), field.getValue()));
    return out.append("</xml>").toString();
  }

  private static void element(StringBuilder out, String name, Object value) {
    if (value instanceof JsonArray array) {
      array.forEach(item -> element(out, name, item));
      return;
    }
    out.append('<').append(name).append('>');
    if (value instanceof JsonObject object) {
      object.forEach(field -> element(out, field.getKey(), field.getValue()));
    } else if (value instanceof Number) {
      out.append(value);
    } else {
      out.append("<![CDATA[").append(value).append("]]>");
    }
    out.append("</").append(name).append('>');
  }

  private void error(RoutingContext ctx, int errcode, String errmsg) {
    wechat.json(ctx, new JsonObject().put("errcode", errcode).put("errmsg", errmsg));
  }

  private static String sessionKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String traceId() {
    return UUID.randomUUID().toString().substring(0, 26);
  }

  private static String nonce() {
    return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }
}
