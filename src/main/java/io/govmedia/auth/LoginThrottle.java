package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * Counts failed logins per username and client address in Redis, so every instance sees the same count.
 * After {@code maxFailures} within the window, the pair is refused for the rest of that window.
 */
final class LoginThrottle {

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
    String key = key(username, address);
    // SET NX PX starts the window once; INCR keeps the expiry, so the window never slides.
    return Redis.await(redis.commands().set(key, "0", SetArgs.Builder.nx().px(window.toMillis())))
      .compose(ignored -> Redis.await(redis.commands().incr(key)))
      .mapEmpty();
  }

  Future<Void> reset(String username, String address) {
    return Redis.await(redis.commands().del(key(username, address))).mapEmpty();
  }

  private static String key(String username, String address) {
    return Redis.PREFIX + "login-failures:" + username.toLowerCase(java.util.Locale.ROOT) + ":" + address;
  }
}
