package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Keeps polling of one account and kind to one instance at a time (a Redis lease, released when the poll ends, lapsing
 * if its holder dies) and holds it back, on every instance, while the channel's rate limit is spent. A back-off holds
 * its end time by this instance's clock, so that a test can move past it.
 */
final class PollerGuard {

  /** Longer than a poll takes; an instance that dies mid-poll blocks the account this long at most. */
  static final Duration LEASE = Duration.ofMinutes(2);
  private static final String LEASE_KEY = Redis.PREFIX + "inbox:poll:lease:";
  private static final String BACKOFF_KEY = Redis.PREFIX + "inbox:poll:backoff:";
  private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
    + "return redis.call('del', KEYS[1]) else return 0 end";

  private final Redis redis;
  private final Clock clock;
  private final String holder = UUID.randomUUID().toString();

  PollerGuard(Redis redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  Future<Boolean> acquire(String id) {
    return Redis.await(redis.commands().set(LEASE_KEY + id, holder, SetArgs.Builder.nx().px(LEASE.toMillis())))
      .map("OK"::equals);
  }

  Future<Void> release(String id) {
    return Redis.await(redis.commands().<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[]{LEASE_KEY + id},
      holder)).mapEmpty();
  }

  /** Whether polling {@code id} waits for a rate limit's window to pass. */
  Future<Boolean> backedOff(String id) {
    return Redis.await(redis.commands().get(BACKOFF_KEY + id))
      .map(until -> until != null && Long.parseLong(until) > clock.millis());
  }

  /** No instance polls {@code id} for {@code wait}. */
  Future<Void> backOff(String id, Duration wait) {
    return Redis.await(redis.commands().set(BACKOFF_KEY + id, String.valueOf(clock.millis() + wait.toMillis()),
      SetArgs.Builder.px(wait.toMillis()))).mapEmpty();
  }
}
