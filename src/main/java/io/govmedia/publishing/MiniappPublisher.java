package io.govmedia.publishing;

import io.vertx.core.Future;

/**
 * The mini-program is ours: a post is in the citizen feed once its mini-program slot is published, so sending is
 * only recording it, at the post's public page.
 */
final class MiniappPublisher implements Publisher {

  @Override
  public Future<Outcome> send(Send send) {
    return Future.succeededFuture(new Outcome.Published(send.slotId(), send.pageUrl(), send.state()));
  }

  @Override
  public Future<Outcome> check(Send send) {
    return send(send);
  }

  /** Withdrawing it hides it from the feed, which reads only published mini-program slots. */
  @Override
  public Future<Void> withdraw(Send send) {
    return Future.succeededFuture();
  }
}
