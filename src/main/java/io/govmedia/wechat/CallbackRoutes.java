package io.govmedia.wechat;

import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.CallbackMode;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET/POST /wechat/callback/{accountId}}: WeChat's servers are the client. GET proves we hold the
 * token by echoing {@code echostr}, in every mode (that is how WeChat checks the URL); POST delivers a message
 * or event in plain, safe ({@code encrypt_type=aes}) or compatible mode. Every check happens before anything is
 * stored: signature (constant time), a timestamp within 5 minutes, the XML (no DOCTYPE, at most 64 KiB), after
 * decrypting the AppID and ToUserName; an unencrypted delivery only to an account whose mode is plain (or not yet
 * set), and only with the body first seen under its signature ({@link PlainReplays}).
 */
final class CallbackRoutes {

  static final long MAX_BODY_BYTES = 64 * 1024;
  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  private static final String NONCE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CallbackAccounts accounts;
  private final CallbackIntake intake;
  private final PlainReplays plainReplays;
  private final Clock clock;

  public CallbackRoutes(Vertx vertx, Redis redis, AccountStore accountStore, MessageStore messages, AutoReplies replies,
                        FollowerStore followers, Clock clock, MeterRegistry metrics) {
    this.accounts = new CallbackAccounts(accountStore, clock);
    this.intake = new CallbackIntake(vertx, new CallbackDedup(vertx, redis), replies, messages, followers, clock,
      metrics);
    this.plainReplays = new PlainReplays(redis, clock, MAX_CLOCK_SKEW);
    this.clock = clock;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/:accountId").handler(this::verify);
    router.post("/:accountId").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::receive);
    return router;
  }

  /**
   * Server verification: echo {@code echostr} only to a correct signature. The URL's signature is the same plain
   * one a delivery carries, so it is spent here: a POST under it (WeChat never sends one) is refused.
   */
  private void verify(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    accounts.keys(ctx.pathParam("accountId"))
      .compose(keys -> {
        checkPlainSignature(keys, request);
        String echo = request.getParam("echostr");
        if (echo == null || echo.length() > 256) {
          throw Problem.badRequest("invalid-echostr", "缺少或无效的 echostr", null);
        }
        return plainReplays.admitVerification(keys.accountId(), request.getParam("signature"),
          Long.parseLong(request.getParam("timestamp")), request.getParam("nonce")).map(echo);
      })
      .onSuccess(echo -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(echo))
      .onFailure(ctx::fail);
  }

  private void receive(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Buffer sent = ctx.body().buffer();
    boolean encrypted = "aes".equals(request.getParam("encrypt_type"));
    accounts.keys(ctx.pathParam("accountId"))
      .compose(keys -> {
        String body = CallbackXml.utf8(sent);
        InboundMessage message = open(keys, request, body, encrypted);
        return notReplayed(keys, request, body, encrypted)
          .compose(first -> intake.receive(keys.accountId(), message))
          .map(answer -> reply(keys, encrypted, answer));
      })
      .onSuccess(reply -> ctx.response().putHeader("Content-Type", reply.equals("success")
        ? "text/plain; charset=utf-8" : "application/xml; charset=utf-8").end(reply))
      .onFailure(ctx::fail);
  }

  /** Checks and opens a delivery; throws a 4xx problem for anything WeChat would never send. */
  private InboundMessage open(CallbackAccounts.Keys keys, HttpServerRequest request, String body, boolean encrypted) {
    String timestamp = checkTimestamp(request.getParam("timestamp"));
    String nonce = required(request, "nonce");
    String xml = body;
    org.bson.Document fields = parse(body);
    if (encrypted) {
      // In compatible mode the plain fields travel beside Encrypt, unsigned: only the decrypted copy is read.
      xml = decrypt(keys, request, fields, timestamp, nonce);
      fields = parse(xml);
    } else {
      checkPlainSignature(keys, request);
      if (keys.encryptionRequired()) {
        throw new Problem(403, "encryption-required", "该公众号只接受加密推送",
          "账号的消息加解密方式为" + (keys.mode() == CallbackMode.SAFE ? "安全模式" : "兼容模式") + "，明文推送不被接受。");
      }
    }
    InboundMessage message;
    try {
      message = CallbackXml.message(fields, xml);
    } catch (CallbackXml.XmlException e) {
      throw Problem.badRequest("invalid-message", "消息缺少必要字段", e.getMessage());
    }
    if (keys.originalId() != null && !keys.originalId().equals(message.toUser())) {
      throw Problem.badRequest("wrong-account", "消息不是发给该公众号的", "ToUserName 与账号原始 ID 不符。");
    }
    return message;
  }

  /**
   * A plain body must be the first seen under its signature. An encrypted one is covered by its msg_signature,
   * but its URL carries the plain signature too: where plain deliveries are accepted, that URL without
   * {@code encrypt_type} could carry another body, so its body is remembered as well.
   */
  private Future<Void> notReplayed(CallbackAccounts.Keys keys, HttpServerRequest request, String body,
                                   boolean encrypted) {
    String signature = request.getParam("signature");
    if (encrypted && (keys.encryptionRequired() || signature == null)) {
      return Future.succeededFuture();
    }
    return plainReplays.admit(keys.accountId(), signature,
      Long.parseLong(request.getParam("timestamp")), request.getParam("nonce"), body);
  }

  /** The plaintext XML inside a safe-mode envelope, after its signature is checked. */
  private String decrypt(CallbackAccounts.Keys keys, HttpServerRequest request, org.bson.Document envelope,
                         String timestamp, String nonce) {
    if (keys.crypto() == null) {
      throw Problem.badRequest("safe-mode-not-configured", "该公众号未配置 EncodingAESKey", null);
    }
    String encrypted = CallbackXml.text(envelope, "Encrypt");
    if (encrypted == null) {
      throw Problem.badRequest("invalid-message", "安全模式消息缺少 Encrypt", null);
    }
    String expected = WeChatCrypto.signature(keys.token(), timestamp, nonce, encrypted);
    if (!WeChatCrypto.sameSignature(expected, request.getParam("msg_signature"))) {
      throw Problem.unauthorized("invalid-signature", "签名校验失败");
    }
    try {
      return keys.crypto().decrypt(encrypted);
    } catch (WeChatCrypto.CryptoException e) {
      throw Problem.badRequest("undecryptable", "消息无法解密或不属于该公众号", e.getMessage());
    }
  }

  private String reply(CallbackAccounts.Keys keys, boolean encrypted, String answer) {
    if (answer == null) {
      return "success";
    }
    if (!encrypted) {
      return answer;
    }
    String sealed = keys.crypto().encrypt(answer);
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    String nonce = nonce();
    String signature = WeChatCrypto.signature(keys.token(), timestamp, nonce, sealed);
    return "<xml><Encrypt><![CDATA[" + sealed + "]]></Encrypt><MsgSignature><![CDATA[" + signature
      + "]]></MsgSignature><TimeStamp>" + timestamp + "</TimeStamp><Nonce><![CDATA[" + nonce + "]]></Nonce></xml>";
  }

  private void checkPlainSignature(CallbackAccounts.Keys keys, HttpServerRequest request) {
    String timestamp = checkTimestamp(request.getParam("timestamp"));
    String expected = WeChatCrypto.signature(keys.token(), timestamp, required(request, "nonce"));
    if (!WeChatCrypto.sameSignature(expected, request.getParam("signature"))) {
      throw Problem.unauthorized("invalid-signature", "签名校验失败");
    }
  }

  private String checkTimestamp(String timestamp) {
    if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
      throw Problem.badRequest("invalid-timestamp", "缺少或无效的 timestamp", null);
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
    if (skew > MAX_CLOCK_SKEW.toSeconds()) {
      throw new Problem(401, "stale-timestamp", "请求时间戳已过期", "timestamp 与服务器时间相差超过 5 分钟。");
    }
    return timestamp;
  }

  private static String required(HttpServerRequest request, String name) {
    String value = request.getParam(name);
    if (value == null || value.isEmpty() || value.length() > 64) {
      throw Problem.badRequest("invalid-" + name, "缺少或无效的 " + name, null);
    }
    return value;
  }


  private static org.bson.Document parse(String xml) {
    try {
      return CallbackXml.parse(xml);
    } catch (CallbackXml.XmlException e) {
      throw Problem.badRequest("invalid-xml", "XML 格式错误或不被接受", e.getMessage());
    }
  }

  private static String nonce() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      out.append(NONCE_CHARS.charAt(RANDOM.nextInt(NONCE_CHARS.length())));
    }
    return out.toString();
  }
}
