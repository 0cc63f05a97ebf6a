package io.govmedia.inbox;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.platform.Problem;
import io.govmedia.weibo.WeiboException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * One round of polling: every active account of each poller's platform, each under its lease, skipped while its
 * rate limit is spent. A rate-limit answer (Weibo 10022–10024, 20016; WeChat 45009, 45011, -1) or a dead Weibo token
 * backs that account off until the limit's window has passed; any other failure is logged and retried next round.
 */
final class Pollers {

  /** Weibo counts its limits per hour; WeChat's 45009 is a daily quota, looked at again hourly. */
  static final Duration HOURLY = Duration.ofHours(1);
  static final Duration SHORT = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(Pollers.class);

  private final AccountStore accounts;
  private final PollerGuard guard;
  private final List<AccountPoller> pollers;

  Pollers(AccountStore accounts, PollerGuard guard, List<AccountPoller> pollers) {
    this.accounts = accounts;
    this.guard = guard;
    this.pollers = pollers;
  }

  Future<?> run() {
    return accounts.all().compose(this::round);
  }

  /** Polls these accounts once with every poller of their platform; never fails (failures are logged). */
  Future<?> round(List<Account> all) {
    return Future.join(pollers.stream()
      .flatMap(poller -> all.stream().filter(a -> a.type() == poller.type() && a.status() == Account.Status.ACTIVE)
        .map(account -> guarded(poller, account).otherwise(0)))
      .toList());
  }

  private Future<Integer> guarded(AccountPoller poller, Account account) {
    String id = PollerCursors.id(account.id(), poller.kind());
    return guard.backedOff(id).compose(waiting -> waiting ? Future.succeededFuture(0)
      : guard.acquire(id).compose(held -> !held ? Future.succeededFuture(0)
        : poller.poll(account)
          .recover(failure -> backOffAfter(id, failure).compose(v -> Future.<Integer>failedFuture(failure)))
          .eventually(() -> guard.release(id))))
      .onFailure(failure -> log.warn("polling {} failed: {}", id, ChannelDeliveries.errorOf(failure)));
  }

  private Future<Void> backOffAfter(String id, Throwable failure) {
    Duration wait = backOff(failure);
    return wait == null ? Future.succeededFuture() : guard.backOff(id, wait).otherwiseEmpty();
  }

  /** How long the account waits after this failure; null: try again next round. */
  static Duration backOff(Throwable failure) {
    if (failure instanceof WeiboException weibo) {
      return switch (weibo.kind()) {
        case RATE_LIMITED -> weibo.retryAfter() == null ? HOURLY : weibo.retryAfter();
        case TOKEN_EXPIRED -> HOURLY;  // only an admin's re-authorization helps; they are warned elsewhere
        default -> null;
      };
    }
    if (failure instanceof Problem problem) {
      Integer errcode = problem.extensions().getInteger("errcode");
      return errcode == null ? null : switch (errcode) {
        case 45009 -> HOURLY;
        case 45011, -1 -> SHORT;
        default -> null;
      };
    }
    return null;
  }
}
