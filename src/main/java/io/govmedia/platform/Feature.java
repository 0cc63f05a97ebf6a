package io.govmedia.platform;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One feature of the server (auth, accounts, wechat, content…) as {@code Main} sees it: what it mounts on the
 * root router, what must be done before the server is ready, what runs periodically, and what to stop.
 * A new feature is one class implementing this and one line in {@code Main}.
 */
public interface Feature extends AutoCloseable {

  /** Where a feature mounts its routes; {@code Api} calls each layer for every feature, in order. */
  record Mount(Vertx vertx, Router root, Handler<RoutingContext> bearer) {
  }

  /** A job run every {@code every} on one instance's timer; a failure is logged and the next run goes ahead. */
  record Periodic(String name, Duration every, Supplier<Future<?>> run) {
  }

  /** Routes that read their own bodies and check their own callers (WeChat pushes, public media, uploads). */
  default void mountRaw(Mount mount) {
  }

  /** Staff API routes that need no sign-in (the sign-in itself); bodies are read and capped. */
  default void mountPublicApi(Mount mount) {
  }

  /** Staff API routes behind the bearer token; bodies are read and capped. */
  default void mountStaffApi(Mount mount) {
  }

  /**
   * The mini-program's citizen API under {@code /mp/}: bodies are read and capped; the feature that serves it checks
   * its own session token (citizens are not staff).
   */
  default void mountCitizenApi(Mount mount) {
  }

  /** What must be done before the server is ready: indexes, caches, subscriptions. */
  default Future<?> start() {
    return Future.succeededFuture();
  }

  default List<Periodic> periodic() {
    return List.of();
  }

  @Override
  default void close() throws Exception {
  }
}
