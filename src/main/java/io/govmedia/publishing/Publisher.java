package io.govmedia.publishing;

import io.vertx.core.Future;

/**
 * One channel's way of sending a slot. A publisher never retries a send whose outcome it does not know: it answers
 * {@link Outcome.Unknown} and the scheduler asks again later with {@link #check}. Failures that are the channel's
 * refusals or the account's configuration come back as {@link Outcome.Failed} (a failed future is treated as
 * {@code Unknown} when {@code Send.state} shows the send may have started, else as a retryable failure).
 */
interface Publisher {

  /** Prepares (uploads, drafts) and sends. Ids learned before the send go through {@link Send#progress}. */
  Future<Outcome> send(Send send);

  /**
   * What became of an earlier send whose outcome was unknown, or that is still pending: {@link Outcome.Published},
   * {@link Outcome.Pending} (ask again later), {@link Outcome.NotFound} (the channel has no trace of it),
   * {@link Outcome.Failed} (the channel's final verdict, e.g. a WeChat job that failed its audit), or
   * {@link Outcome.Unknown} (the channel cannot be asked now).
   */
  Future<Outcome> check(Send send);

  /** Takes a published send back (freepublish/delete, mass delete, Weibo destroy); fails with a problem if refused. */
  Future<Void> withdraw(Send send);
}
