package io.govmedia.weibo;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The OAuth {@code state}: the only credential the callback has (Weibo's redirect carries no bearer token). Random,
 * single-use, valid {@link #TTL}, bound in Redis to the account and the admin who asked, so that any instance can
 * take the callback.
 */
final class WeiboOAuthStates {

  /** Who started an authorization, and for which account. */
  record Binding(String accountId, AuditLog.Actor admin) {
  }

  static final Duration TTL = Duration.ofMinutes(10);
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY = Redis.PREFIX + "weibo:oauth-state:";

  private final Redis redis;

  WeiboOAuthStates(Redis redis) {
    this.redis = redis;
  }

  Future<String> issue(String accountId, AuditLog.Actor admin) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String value = new JsonObject().put("accountId", accountId).put("staffId", admin.id())
      .put("username", admin.username()).encode();
    return Redis.await(redis.commands().set(KEY + state, value, SetArgs.Builder.nx().px(TTL.toMillis())))
      .map(state);
  }

  /**
   * The binding of a state, consumed: of two callbacks with the same state only the one whose delete removed it
   * wins. Null for a malformed, unknown, used or expired state.
   */
  Future<Binding> take(String state) {
    if (state == null || !FORMAT.matcher(state).matches()) {
      return Future.succeededFuture(null);
    }
    String key = KEY + state;
    return Redis.await(redis.commands().get(key)).compose(value -> value == null ? Future.succeededFuture(null)
      : Redis.await(redis.commands().del(key)).map(deleted -> deleted == 1 ? binding(value) : null));
  }

  private static Binding binding(String value) {
    JsonObject json = new JsonObject(value);
    return new Binding(json.getString("accountId"),
      new AuditLog.Actor(json.getString("staffId"), json.getString("username")));
  }
}
