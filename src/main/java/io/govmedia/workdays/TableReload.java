package io.govmedia.workdays;

import io.govmedia.platform.Redis;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps this instance's tables as the store holds them. A put through any instance bumps a counter in Redis; every
 * instance looks at it every {@link #POLL} and reloads the (tiny) collection when it moved, and reloads it every
 * {@link #FULL_RELOAD} anyway, so that a bump lost while Redis was away is caught up within a minute.
 */
final class TableReload {

  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration FULL_RELOAD = Duration.ofMinutes(1);
  private static final String VERSION_KEY = Redis.PREFIX + "workdays:tables:version";
  private static final Logger log = LoggerFactory.getLogger(TableReload.class);

  private final HolidayStore store;
  private final WorkCalendar calendar;
  private final Redis redis;
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile String seenVersion;
  private volatile long loadedAt;

  TableReload(HolidayStore store, WorkCalendar calendar, Redis redis) {
    this.store = store;
    this.calendar = calendar;
    this.redis = redis;
  }

  /** The first load, at start: the server is not ready before the admins' tables are in use. */
  Future<Void> start() {
    return version().compose(version -> {
      seenVersion = version;
      return reload(false);
    });
  }

  /** After a put through this instance: the others reload at their next poll. Never fails the put. */
  Future<Void> announce() {
    return Redis.await(redis.commands().incr(VERSION_KEY)).<Void>mapEmpty().recover(failure -> {
      log.warn("could not announce a holiday table change in Redis; other instances see it at their next full reload",
        failure);
      return Future.succeededFuture();
    });
  }

  /** The periodic job: reloads when another instance announced a change, or when the last full reload is old. */
  Future<?> poll() {
    if (!polling.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return version()
      .compose(version -> {
        boolean moved = !Objects.equals(version, seenVersion);
        if (!moved && System.nanoTime() - loadedAt < FULL_RELOAD.toNanos()) {
          return Future.succeededFuture();
        }
        seenVersion = version;
        return reload(true);
      })
      .onFailure(failure -> seenVersion = null)
      .onComplete(done -> polling.set(false));
  }

  private Future<Void> reload(boolean tell) {
    long started = System.nanoTime();
    long generation = calendar.generation();
    return store.all().map(tables -> {
      if (calendar.reloaded(tables, generation, tell)) {
        loadedAt = started;
      } else {
        seenVersion = null;  // a put went in meanwhile: read again at the next poll
      }
      return null;
    });
  }

  /** The change counter, or null when Redis has none or cannot be reached (then polls compare null). */
  private Future<String> version() {
    return Redis.await(redis.commands().get(VERSION_KEY)).recover(failure -> Future.succeededFuture(null));
  }
}
