package io.govmedia.platform;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * An in-memory copy of something small that hot paths read many times a second (routing rules, who is on duty), so
 * that they read no store. It is loaded at start, reloaded at once by the instance that changes it, on every other
 * instance when that one announces the change on a Redis channel, after every (re)subscription to that channel (a
 * change announced while Redis was away), and by a periodic job as the last safety net. A load that finishes after a
 * later-started one is dropped, so the copy never goes back in time.
 */
public final class SharedSnapshot<T> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SharedSnapshot.class);

  private final Redis redis;
  private final String channel;
  private final Supplier<Future<T>> loader;
  private volatile T current;
  private long requested;
  private long applied;
  private AutoCloseable subscription;

  /** {@code name} names the Redis channel ({@code govmedia:changed:<name>}) and the log lines. */
  public SharedSnapshot(Redis redis, String name, T empty, Supplier<Future<T>> loader) {
    this.redis = redis;
    this.channel = Redis.PREFIX + "changed:" + name;
    this.loader = loader;
    this.current = empty;
  }

  public T get() {
    return current;
  }

  /** Loads the first copy, then listens for other instances' changes. */
  public Future<Void> start() {
    return reload()
      .compose(loaded -> redis.subscribe(channel, message -> reloadLogged(), this::reloadLogged))
      .onSuccess(closer -> subscription = closer)
      .mapEmpty();
  }

  public Future<Void> reload() {
    long ticket;
    synchronized (this) {
      ticket = ++requested;
    }
    return Future.<T>future(loaded -> loader.get().onComplete(loaded)).map(value -> {
      apply(ticket, value);
      return null;
    });
  }

  /**
   * After a change made through this instance: reloads here (done when the copy shows it) and announces it to the
   * others. A failed announcement is logged, not failed: the change is stored, and the periodic reload brings it.
   */
  public Future<Void> changed() {
    return reload().compose(loaded -> redis.publish(channel, "changed")
      .<Void>mapEmpty()
      .recover(failure -> {
        log.warn("change of {} not announced to other instances; they see it at their next periodic reload", channel,
          failure);
        return Future.succeededFuture();
      }));
  }

  private synchronized void apply(long ticket, T value) {
    if (ticket > applied) {
      applied = ticket;
      current = value;
    }
  }

  private void reloadLogged() {
    reload().onFailure(failure -> log.warn("reload of {} failed; the previous copy stays in use", channel, failure));
  }

  @Override
  public void close() throws Exception {
    if (subscription != null) {
      subscription.close();
    }
  }
}
