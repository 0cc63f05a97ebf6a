package io.govmedia.citizen;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Daily limits on what citizens write (messages, follow-ups, comments), per openid and per network address, counted
 * in Redis per Asia/Shanghai day. Over a limit: 429 {@code too-many-messages}. Should Redis be away, the limit is not
 * enforced rather than the citizen refused (the message matters more than the count).
 */
public final class CitizenLimits {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final String PREFIX = Redis.PREFIX + "mp:limit:";

  private final Redis redis;
  private final Clock clock;

  CitizenLimits(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /**
   * Counts one more of {@code kind} for the citizen and the address; fails with 429 when either is over its limit
   * for the day (the count stays taken: a refused try still counts, so hammering does not help).
   */
  public Future<Void> take(String kind, CitizenSession who, String address, int perCitizen, int perAddress) {
    LocalDate day = LocalDate.now(clock.withZone(SHANGHAI));
    String citizenKey = PREFIX + kind + ":" + day + ":o:" + who.accountId() + ":" + who.openid();
    String addressKey = PREFIX + kind + ":" + day + ":a:" + (address == null ? "unknown" : address);
    return Future.all(count(citizenKey), count(addressKey)).compose(both -> {
      List<Long> counts = both.list();
      if (counts.get(0) > perCitizen || counts.get(1) > perAddress) {
        return Future.failedFuture(new Problem(429, "too-many-messages", "今天提交次数已达上限，请明天再试",
          "每人每天最多 " + perCitizen + " 次"));
      }
      return Future.<Void>succeededFuture();
    }, redisAway -> Future.succeededFuture());
  }

  private Future<Long> count(String key) {
    var commands = redis.commands();
    return Redis.await(commands.incr(key)).compose(n -> n == 1
      ? Redis.await(commands.expire(key, 26 * 3600)).map(n) : Future.succeededFuture(n));
  }
}
