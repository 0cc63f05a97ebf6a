package io.govmedia.citizen;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * Sign-ins per network address per minute, counted in Redis so every instance sees the same count: every try
 * counts (a bad code as much as a good one), so nobody can spend WeChat's jscode2session quota or guess codes
 * from one address. Over the limit: 429 {@code too-many-sign-ins} with when to try again.
 */
final class SignInThrottle {

  static final int PER_MINUTE = 30;
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String PREFIX = Redis.PREFIX + "mp:sign-in:";

  /** Counts one try and starts the window with the first, atomically (a counter never lacks its expiry). */
  private static final String COUNT = """
    local count = redis.call('INCR', KEYS[1])
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
    return {count, ttl}""";

  private final Redis redis;

  SignInThrottle(Redis redis) {
    this.redis = redis;
  }

  Future<Void> attempt(String address) {
    return Redis.await(redis.commands().<List<Long>>eval(COUNT, ScriptOutputType.MULTI,
      new String[] {PREFIX + address}, String.valueOf(WINDOW.toMillis()))).compose(reply -> reply.get(0) <= PER_MINUTE
        ? Future.succeededFuture()
        : Future.failedFuture(new Problem(429, "too-many-sign-ins", "登录过于频繁，请稍后再试",
          "同一网络地址每分钟最多登录 " + PER_MINUTE + " 次。").with("retryAfterSeconds", Math.max(1, (reply.get(1) + 999) / 1000))));
  }
}
