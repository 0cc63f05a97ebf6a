package io.govmedia.wechat;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.accounts.AccountType;
import io.govmedia.accounts.CallbackMode;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callback's view of an official account: its token, its AES key opened once, and who it is. Kept in
 * memory for a short while so that a callback costs no store read; a rotated token or key, or a changed
 * callback mode, reaches every instance within {@link #TTL}.
 */
final class CallbackAccounts {

  /**
   * What the callback needs to check and open a delivery. {@code crypto} is null when no AES key is set;
   * {@code mode} is null for an account stored before modes existed.
   */
  record Keys(String accountId, String appId, String originalId, String token, WeChatCrypto crypto,
              CallbackMode mode) {

    /** Whether an unencrypted delivery is refused: WeChat encrypts every one in compatible and safe mode. */
    boolean encryptionRequired() {
      return mode != null && mode.encrypts();
    }
  }

  private record Cached(Keys keys, long expiresAt) {}

  static final Duration TTL = Duration.ofSeconds(30);
  private static final int MAX_CACHED = 10_000;

  private final AccountStore accounts;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  CallbackAccounts(AccountStore accounts, Clock clock) {
    this.accounts = accounts;
    this.clock = clock;
  }

  /** The keys of an active official account; 404 for anything else, so probing reveals nothing. */
  Future<Keys> keys(String accountId) {
    long now = clock.millis();
    Cached cached = cache.get(accountId);
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(cached.keys);
    }
    if (!Ids.valid(accountId)) {
      return Future.failedFuture(unknown());
    }
    return accounts.find(accountId).map(this::keysOf).compose(keys -> {
      if (keys == null) {
        return Future.failedFuture(unknown());  // misses are not cached: probes must not fill memory
      }
      if (cache.size() >= MAX_CACHED) {
        cache.values().removeIf(entry -> entry.expiresAt <= now);
      }
      cache.put(accountId, new Cached(keys, now + TTL.toMillis()));
      return Future.succeededFuture(keys);
    });
  }

  private Keys keysOf(Account account) {
    if (account == null || account.type() != AccountType.WECHAT_MP || account.status() == Account.Status.CLOSED) {
      return null;
    }
    String token = accounts.secret(account, "token");
    String aesKey = accounts.secret(account, "aesKey");
    if (token == null) {
      return null;
    }
    return new Keys(account.id(), account.appId(), account.originalId(), token,
      aesKey == null ? null : new WeChatCrypto(aesKey, account.appId()), account.callbackMode());
  }

  private static Problem unknown() {
    return Problem.notFound("公众号回调地址");
  }
}
