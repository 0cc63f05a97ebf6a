package io.govmedia.citizen;

import io.govmedia.platform.Redis;
import io.govmedia.platform.Secrets;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Citizens' session tokens in Redis, 7 days each: an opaque random token, stored under its SHA-256 (a copy of Redis
 * reveals no usable token), with the WeChat session key sealed. A token Redis does not know is no session.
 */
public final class CitizenSessions {

  static final Duration LIFETIME = Duration.ofDays(7);
  private static final String PREFIX = Redis.PREFIX + "mp:session:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Redis redis;
  private final Secrets secrets;
  private final Clock clock;

  CitizenSessions(Redis redis, Secrets secrets, Clock clock) {
    this.redis = redis;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** A new session; answers its token. */
  public Future<String> create(String accountId, String appId, String openid, String unionid, String sessionKey) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    CitizenSession session = new CitizenSession(accountId, appId, openid, unionid, now, now.plus(LIFETIME));
    JsonObject stored = session.toJson();
    if (sessionKey != null) {
      stored.put("sessionKey", secrets.seal(sessionKey, "mp-session-key:" + openid));
    }
    return Redis.await(redis.commands().set(key(token), stored.encode(), SetArgs.Builder.ex(LIFETIME.toSeconds())))
      .map(ok -> token);
  }

  /** The session of a token, or null when it is unknown or has expired. */
  public Future<CitizenSession> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Future.succeededFuture(null);
    }
    return Redis.await(redis.commands().get(key(token))).map(json -> {
      if (json == null) {
        return null;
      }
      CitizenSession session = CitizenSession.fromJson(new JsonObject(json));
      return session.expiresAt().isAfter(clock.instant()) ? session : null;
    });
  }

  /** Ends a session (sign-out). */
  public Future<Void> revoke(String token) {
    return Redis.await(redis.commands().del(key(token))).mapEmpty();
  }

  private static String key(String token) {
    try {
      return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
