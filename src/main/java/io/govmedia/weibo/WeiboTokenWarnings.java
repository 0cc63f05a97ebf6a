package io.govmedia.weibo;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.events.Event;
import io.govmedia.events.Events;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Tells admins ({@code account.weibo-token}) when a Weibo token nears its end ({@link Account#tokenWarning}) or has
 * expired: Weibo gives web apps no refresh token, so only a re-authorization keeps the account posting. Once per
 * account per Asia/Shanghai day (and once more on the day it expires), whichever instance runs the job first.
 */
final class WeiboTokenWarnings {

  static final String EVENT = "account.weibo-token";
  private static final String KEY = Redis.PREFIX + "weibo:token-warned:";
  private static final Duration KEY_TTL = Duration.ofDays(2);

  private final AccountStore accounts;
  private final Events events;
  private final Redis redis;
  private final Clock clock;

  WeiboTokenWarnings(AccountStore accounts, Events events, Redis redis, Clock clock) {
    this.accounts = accounts;
    this.events = events;
    this.redis = redis;
    this.clock = clock;
  }

  /** Warns for every account that needs it now; answers how many warnings went out. */
  Future<Integer> run() {
    Instant now = clock.instant();
    return accounts.ofType(AccountType.WEIBO).compose(all -> Future.all(all.stream()
        .filter(account -> account.status() != Account.Status.CLOSED && account.tokenWarning(now))
        .map(account -> warnOnce(account, now)).toList()))
      .map(done -> (int) done.<Boolean>list().stream().filter(Boolean::booleanValue).count());
  }

  private Future<Boolean> warnOnce(Account account, Instant now) {
    boolean expired = !now.isBefore(account.tokenExpiresAt());
    LocalDate day = now.atZone(Times.ZONE).toLocalDate();
    String key = KEY + account.id() + ":" + day + (expired ? ":expired" : "");
    return Redis.await(redis.commands().set(key, "1", SetArgs.Builder.nx().px(KEY_TTL.toMillis())))
      .compose(set -> "OK".equals(set)
        ? events.publish(new Event(EVENT, data(account, expired), Event.Audience.admins())).map(true)
        : Future.succeededFuture(false));
  }

  private static JsonObject data(Account account, boolean expired) {
    String when = Times.show(account.tokenExpiresAt());
    return new JsonObject().put("accountId", account.id()).put("name", account.name())
      .put("tokenExpiresAt", when).put("expired", expired)
      .put("message", "微博账号「" + account.name() + "」的授权" + (expired ? "已于 " + when + " 过期" : "将于 " + when + " 过期")
        + "，请管理员在账号设置中重新授权微博。");
  }
}
