package io.govmedia.wechat;

import io.govmedia.platform.Redis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import me.chanjar.weixin.common.redis.WxRedisOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * WxJava's token store and locks on our Lettuce connection, so that every instance shares one access token per
 * AppID instead of each fetching (and, with the classic token, invalidating) its own. Blocking: WxJava calls it
 * on the WeChat worker threads, never on an event loop.
 */
final class LettuceWxRedisOps implements WxRedisOps {

  static final String PREFIX = Redis.PREFIX + "wechat:";

  private static final Logger log = LoggerFactory.getLogger(LettuceWxRedisOps.class);
  private static final String COMPARE_AND_DELETE =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  private static final long SPIN_MILLIS = 25;

  private final RedisCommands<String, String> redis;
  private final Duration lease;
  private final String owner = UUID.randomUUID().toString();

  /** {@code lease}: how long a lock holds if its holder dies without unlocking. */
  LettuceWxRedisOps(Redis redis, Duration lease) {
    this.redis = redis.sync();
    this.lease = lease;
  }

  @Override
  public String getValue(String key) {
    return redis.get(PREFIX + key);
  }

  @Override
  public void setValue(String key, String value, int expire, TimeUnit timeUnit) {
    if (expire <= 0) {
      redis.set(PREFIX + key, value);
    } else {
      redis.psetex(PREFIX + key, timeUnit.toMillis(expire), value);
    }
  }

  /** Seconds left, -2 when the key is missing (never null: WxJava unboxes it). */
  @Override
  public Long getExpire(String key) {
    Long ttl = redis.ttl(PREFIX + key);
    return ttl == null ? -2L : ttl;
  }

  @Override
  public void expire(String key, int expire, TimeUnit timeUnit) {
    redis.pexpire(PREFIX + key, timeUnit.toMillis(expire));
  }

  @Override
  public Lock getLock(String key) {
    return new LeaseLock(PREFIX + key);
  }

  /**
   * {@code SET key holder NX PX lease}; unlocked by a compare-and-delete, so a holder whose lease ran out cannot
   * release the lock someone else took since. The holder is this instance plus the thread, as {@link Lock}
   * wants. Not reentrant, and waiting is bounded: {@link #lock()} gives up after twice the lease.
   */
  private final class LeaseLock implements Lock {

    private final String key;

    private LeaseLock(String key) {
      this.key = key;
    }

    @Override
    public boolean tryLock() {
      return "OK".equals(redis.set(key, holder(), SetArgs.Builder.nx().px(lease.toMillis())));
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(time);
      while (!tryLock()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SPIN_MILLIS)));
      }
      return true;
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      if (!tryLock(2 * lease.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("lock " + key + " still held by another holder after " + 2 * lease.toMillis() + " ms");
      }
    }

    @Override
    public void lock() {
      try {
        lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for lock " + key, e);
      }
    }

    @Override
    public void unlock() {
      Long deleted = redis.eval(COMPARE_AND_DELETE, ScriptOutputType.INTEGER, new String[] {key}, holder());
      if (deleted == null || deleted == 0) {
        // Throwing here would hide the outcome of the work the lock guarded; the lease already let it go.
        log.warn("lock {} had expired before its holder released it; its lease ({} ms) is too short", key, lease.toMillis());
      }
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException("a Redis lease lock has no conditions");
    }

    private String holder() {
      return owner + ":" + Thread.currentThread().getId();
    }
  }
}
