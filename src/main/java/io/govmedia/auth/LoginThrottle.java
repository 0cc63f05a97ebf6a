package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * Counts login attempts per username and client address in Redis, so every instance sees the same count;
 * a successful login clears it. After {@code maxFailures} failures within the window, the pair is refused
 * for the rest of that window.
 */
final class LoginThrottle {

  /**
   * Counts one attempt and starts the window with the first, atomically: a counter can never be left without
   * an expiry (which would lock the pair out for good). Later attempts do not extend the window.
   */
  private static final String COUNT_ATTEMPT = """
    local count = redis.call('INCR', KEYS[1])
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
    return {count, ttl}""";

  private final Redis redis;
  private final int maxFailures;
  private final Duration window;

  LoginThrottle(Redis redis, int maxFailures, Duration window) {
    this.redis = redis;
    this.maxFailures = maxFailures;
    this.window = window;
  }

  /**
   * Counts an attempt before the password is checked, so that parallel guesses cannot all slip past the
   * count; fails with 429 once the pair has used up its attempts in the window. A success resets the count.
   */
  Future<Void> attempt(String username, String address) {
    return Redis.await(redis.commands().<List<Long>>eval(COUNT_ATTEMPT, ScriptOutputType.MULTI,
      new String[] {key(username, address)}, String.valueOf(window.toMillis()))).compose(reply -> {
        long count = reply.get(0);
        long ttlMillis = reply.get(1);
        if (count <= maxFailures) {
          return Future.succeededFuture();
        }
        return Future.failedFuture(new Problem(429, "too-many-login-failures", "登录失败次数过多，请稍后再试",
          "同一账号在同一地址 " + window.toMinutes() + " 分钟内失败 " + maxFailures + " 次后暂时锁定。")
          .with("retryAfterSeconds", Math.max(1, (ttlMillis + 999) / 1000)));
      });
  }

  Future<Void> reset(String username, String address) {
    return Redis.await(redis.commands().del(key(username, address))).mapEmpty();
  }

  private static String key(String username, String address) {
    return Redis.PREFIX + "login-failures:" + username.toLowerCase(java.util.Locale.ROOT) + ":" + address;
  }
}
