package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * Counts failed logins per username and client address in Redis, so every instance sees the same count.
 * After {@code maxFailures} within the window, the pair is refused for the rest of that window.
 */
final class LoginThrottle {

  /**
   * Counts one failure and starts the window with the first one, atomically: a counter can never be left
   * without an expiry (which would lock the pair out for good). Later failures do not extend the window.
   */
  private static final String COUNT_FAILURE = """
    local count = redis.call('INCR', KEYS[1])
    if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
    return count""";

  private final Redis redis;
  private final int maxFailures;
  private final Duration window;

  LoginThrottle(Redis redis, int maxFailures, Duration window) {
    this.redis = redis;
    this.maxFailures = maxFailures;
    this.window = window;
  }

  /** Fails with 429 while the pair is locked out. */
  Future<Void> check(String username, String address) {
    String key = key(username, address);
    return Redis.await(redis.commands().get(key)).compose(count -> {
      if (count == null || Long.parseLong(count) < maxFailures) {
        return Future.succeededFuture();
      }
      return Redis.await(redis.commands().pttl(key)).compose(ttlMillis -> Future.failedFuture(
        new Problem(429, "too-many-login-failures", "登录失败次数过多，请稍后再试",
          "同一账号在同一地址 " + window.toMinutes() + " 分钟内失败 " + maxFailures + " 次后暂时锁定。")
          .with("retryAfterSeconds", Math.max(1, (ttlMillis + 999) / 1000))));
    });
  }

  Future<Void> recordFailure(String username, String address) {
    return Redis.await(redis.commands().<Long>eval(COUNT_FAILURE, ScriptOutputType.INTEGER,
      new String[] {key(username, address)}, String.valueOf(window.toMillis()))).mapEmpty();
  }

  Future<Void> reset(String username, String address) {
    return Redis.await(redis.commands().del(key(username, address))).mapEmpty();
  }

  private static String key(String username, String address) {
    return Redis.PREFIX + "login-failures:" + username.toLowerCase(java.util.Locale.ROOT) + ":" + address;
  }
}
