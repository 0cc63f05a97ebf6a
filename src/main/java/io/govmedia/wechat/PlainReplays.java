package io.govmedia.wechat;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WeChat's plain-mode signature covers token, timestamp and nonce but not the body, so whoever sees one signed
 * URL could post any body under it for as long as its timestamp is accepted. So the first body admitted under a
 * signed (signature, timestamp, nonce) is remembered by its SHA-256 until that timestamp is too old to be
 * accepted anyway: the same body again is an ordinary repeat (the dedup answers it), any other body is refused.
 * Encrypted deliveries do not need it for themselves (their msg_signature covers the Encrypt field, so a changed
 * body fails it), but their URL carries the plain signature too, so where plain deliveries are accepted the
 * callback remembers their bodies as well.
 *
 * <p>Redis shares this memory between instances. While Redis is away each instance remembers what it admitted
 * itself, like {@link CallbackDedup} carrying on without Redis: a replay is still refused by the instance that
 * admitted the original (so, always, with one instance), but one sent to another instance is admitted, and is
 * stored if its MsgId is new.
 */
final class PlainReplays {

  /** Instances' clocks differ a little: remember a URL this much longer than its timestamp is accepted. */
  private static final Duration MARGIN = Duration.ofMinutes(1);
  /** Past this many entries in the fallback, expired ones are dropped before adding more. */
  private static final int LOCAL_PURGE_AT = 10_000;
  /** What a URL check leaves under its signature instead of a body's hash. */
  private static final String VERIFICATION = "url-check";

  private record Seen(String bodyHash, long expiresAt) {}

  private final Redis redis;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Seen> local = new ConcurrentHashMap<>();

  /** {@code window}: how far a timestamp may be from now, either way, and still be accepted. */
  PlainReplays(Redis redis, Clock clock, Duration window) {
    this.redis = redis;
    this.clock = clock;
    this.window = window;
  }

  /** Succeeds for the first body under these signed parameters and for the same body again; 403 otherwise. */
  Future<Void> admit(String accountId, String signature, long timestamp, String nonce, String body) {
    return remember(accountId, signature, timestamp, nonce, sha256(body));
  }

  /**
   * Spends the signed parameters of a URL check (GET with echostr): they sign no body, so no POST may use them;
   * the same check again passes. The mark is no Base64 SHA-256, so it matches no body.
   */
  Future<Void> admitVerification(String accountId, String signature, long timestamp, String nonce) {
    return remember(accountId, signature, timestamp, nonce, VERIFICATION);
  }

  private Future<Void> remember(String accountId, String signature, long timestamp, String nonce, String hash) {
    // The signature is compared case-insensitively: one spelling per signature, or a replay could pick another.
    String key = Redis.PREFIX + "wechat:plain:" + accountId + ":" + timestamp + ":" + nonce + ":"
      + signature.toLowerCase(Locale.ROOT);
    long ttlMillis = Math.max(1000, (timestamp + window.plus(MARGIN).toSeconds()) * 1000 - clock.millis());
    return Redis.await(redis.commands().set(key, hash, SetArgs.Builder.nx().px(ttlMillis)))
      .compose(ok -> "OK".equals(ok) ? Future.succeededFuture(hash) : Redis.await(redis.commands().get(key)))
      // null: the entry expired between the two commands, so the timestamp is no longer accepted anywhere.
      .map(first -> first == null || first.equals(hash))
      .recover(redisAway -> Future.succeededFuture(admitLocally(key, hash, ttlMillis)))
      .compose(same -> same ? Future.succeededFuture() : Future.failedFuture(replayed()));
  }

  private boolean admitLocally(String key, String hash, long ttlMillis) {
    long now = clock.millis();
    if (local.size() >= LOCAL_PURGE_AT) {
      local.values().removeIf(seen -> seen.expiresAt <= now);
    }
    Seen first = local.compute(key, (k, old) -> old == null || old.expiresAt <= now ? new Seen(hash, now + ttlMillis) : old);
    return first.bodyHash.equals(hash);
  }

  private static Problem replayed() {
    return new Problem(403, "callback-replayed", "该推送签名已用于另一条消息",
      "明文模式的签名不覆盖消息内容：同一签名、时间戳和随机数只接受同一条消息。");
  }

  private static String sha256(String body) {
    try {
      return Base64.getEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
