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
   * The part of {@link #send} that sends nothing (WeChat: uploads and the draft), done before the slot is claimed:
   * the state to claim it with, already marked as sending, so that the claim is also the last write before the
   * call; {@link #sendPrepared} then makes the call. Null (the default) when the publisher prepares inside
   * {@link #send}. A failed preparation is done again by {@link #send}, which reports it.
   */
  default Future<io.vertx.core.json.JsonObject> prepare(Send send) {
    return Future.succeededFuture();
  }

  /** The call alone, for a slot claimed with {@link #prepare}'s state. */
  default Future<Outcome> sendPrepared(Send send) {
    return send(send);
  }

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
