package io.govmedia.citizen;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.CallbackMode;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.wechat.CallbackXml;
import io.govmedia.wechat.WeChatCrypto;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;

/**
 * Opens what WeChat pushes to a mini-program (消息推送): the account's token and AES key, the plain signature or, for
 * an encrypted push ({@code encrypt_type=aes}), the msg_signature over the ciphertext and the official account's
 * crypto (which checks the AppID), and the body in whichever format the mini-program chose, JSON or XML. A push under
 * a timestamp and nonce already seen within the accepted window is a replay.
 */
final class MiniappPushes {

  /** What the push needs of the account: who it is and its keys ({@code crypto} null without an aesKey). */
  record Keys(String accountId, String appId, String originalId, String token, WeChatCrypto crypto,
              boolean encryptionRequired) {}

  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** Instances' clocks differ a little: a timestamp and nonce are remembered this much longer than accepted. */
  private static final Duration MARGIN = Duration.ofMinutes(1);
  private static final String PREFIX = Redis.PREFIX + "mp:push:";

  private final MiniappServices miniapps;
  private final AccountStore accounts;
  private final Redis redis;
  private final Clock clock;

  MiniappPushes(MiniappServices miniapps, AccountStore accounts, Redis redis, Clock clock) {
    this.miniapps = miniapps;
    this.accounts = accounts;
    this.redis = redis;
    this.clock = clock;
  }

  /** The keys of an active mini-program account with a push token; 404 for anything else, so probing shows nothing. */
  Future<Keys> keys(String accountId) {
    if (!Ids.valid(accountId)) {
      return Future.failedFuture(unknown());
    }
    return miniapps.account(accountId).compose(account -> {
      String token = account == null ? null : accounts.secret(account, "token");
      return token == null ? Future.failedFuture(unknown()) : Future.succeededFuture(keysOf(account, token));
    });
  }

  /** Checks the plain signature of the query (timestamp within 5 minutes); 403 when it does not verify. */
  void checkSignature(Keys keys, MultiMap query) {
    String timestamp = freshTimestamp(query.get("timestamp"));
    String nonce = query.get("nonce");
    if (nonce == null || nonce.isEmpty() || nonce.length() > 64
      || !WeChatCrypto.sameSignature(WeChatCrypto.signature(keys.token(), timestamp, nonce), query.get("signature"))) {
      throw badSignature();
    }
  }

  /** The pushed message or event as JSON fields, after every check; throws a 4xx problem for anything else. */
  JsonObject open(Keys keys, MultiMap query, String body) {
    JsonObject fields = parse(body);
    if (!"aes".equals(query.get("encrypt_type"))) {
      checkSignature(keys, query);
      if (keys.encryptionRequired()) {
        throw new Problem(403, "encryption-required", "该小程序只接受加密推送", "小程序设置了消息加密，明文推送不被接受。");
      }
    } else {
      fields = parse(decrypt(keys, query, fields));
    }
    String appId = fields.getValue("appid") instanceof String s ? s : null;
    String toUser = fields.getValue("ToUserName") instanceof String s ? s : null;
    if (appId != null && !appId.equals(keys.appId()) || keys.originalId() != null && toUser != null
      && !toUser.equals(keys.originalId())) {
      throw Problem.badRequest("wrong-account", "推送不是发给该小程序的", "appid 或 ToUserName 与账号不符。");
    }
    return fields;
  }

  /**
   * Whether this is the first push under its timestamp and nonce (WeChat retries a push it got no answer to with
   * the same ones). With Redis away every push counts as first: a verdict delivered twice does no harm.
   */
  Future<Boolean> first(Keys keys, MultiMap query) {
    long timestamp = Long.parseLong(query.get("timestamp"));
    String key = PREFIX + keys.accountId() + ":" + timestamp + ":" + query.get("nonce");
    long ttlMillis = Math.max(1000, (timestamp + MAX_CLOCK_SKEW.plus(MARGIN).toSeconds()) * 1000 - clock.millis());
    return Redis.await(redis.commands().set(key, "1", SetArgs.Builder.nx().px(ttlMillis)))
      .map("OK"::equals)
      .recover(redisAway -> Future.succeededFuture(true));
  }

  private String decrypt(Keys keys, MultiMap query, JsonObject envelope) {
    if (keys.crypto() == null) {
      throw Problem.badRequest("safe-mode-not-configured", "该小程序未配置消息加密密钥", "请管理员在账号设置中填写 aesKey。");
    }
    String timestamp = freshTimestamp(query.get("timestamp"));
    String nonce = query.get("nonce");
    String encrypted = envelope.getValue("Encrypt") instanceof String s && !s.isEmpty() ? s : null;
    if (encrypted == null || nonce == null || nonce.isEmpty() || nonce.length() > 64) {
      throw Problem.badRequest("invalid-message", "加密推送缺少 Encrypt 或 nonce", null);
    }
    if (!WeChatCrypto.sameSignature(WeChatCrypto.signature(keys.token(), timestamp, nonce, encrypted),
      query.get("msg_signature"))) {
      throw badSignature();
    }
    try {
      return keys.crypto().decrypt(encrypted);
    } catch (WeChatCrypto.CryptoException e) {
      throw Problem.badRequest("undecryptable", "推送无法解密或不属于该小程序", e.getMessage());
    }
  }

  /** JSON or XML, as the mini-program's push is configured; the two are told apart by their first character. */
  private static JsonObject parse(String body) {
    String text = body.strip();
    if (text.isEmpty()) {
      throw Problem.badRequest("empty-body", "推送内容为空", null);
    }
    try {
      if (text.charAt(0) == '{') {
        return new JsonObject(text);
      }
      if (text.charAt(0) == '<') {
        return new JsonObject(CallbackXml.parse(text));
      }
    } catch (DecodeException | CallbackXml.XmlException e) {
      throw Problem.badRequest("invalid-body", "推送内容不是有效的 JSON 或 XML", e.getMessage());
    }
    throw Problem.badRequest("invalid-body", "推送内容不是有效的 JSON 或 XML", null);
  }

  private String freshTimestamp(String timestamp) {
    if (timestamp == null || !timestamp.matches("\\d{1,12}")
      || Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) > MAX_CLOCK_SKEW.toSeconds()) {
      throw badSignature();
    }
    return timestamp;
  }

  private Keys keysOf(Account account, String token) {
    String aesKey = accounts.secret(account, "aesKey");
    CallbackMode mode = account.callbackMode();
    return new Keys(account.id(), account.appId(), account.originalId(), token,
      aesKey == null ? null : new WeChatCrypto(aesKey, account.appId()), mode != null ? mode.encrypts() : aesKey != null);
  }

  static Problem badSignature() {
    return new Problem(403, "invalid-signature", "签名校验失败", "signature、timestamp（5 分钟内）或 nonce 不符。");
  }

  private static Problem unknown() {
    return Problem.notFound("小程序消息推送地址");
  }
}
