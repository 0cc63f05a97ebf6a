package io.govmedia.wechat;

import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Shared by all instances through Redis: the first delivery of a message claims its key with SET NX; once
 * the message is stored, the key holds the answer (for 5 minutes), so a repeat gets the same answer without
 * being processed again. A repeat that arrives while the first is still being stored waits briefly for it.
 * Redis is the fast path, not the guarantee: the store refuses a second copy of a delivery by its id. So a
 * claim that was abandoned (an instance died mid-request), or Redis being away, never costs a message: the
 * delivery is processed and the store decides.
 */
final class CallbackDedup {

  /** The outcome of a claim: first delivery, or a repeat with the answer already given (empty for "success"). */
  record Claim(boolean first, String answer) {}

  private static final String PENDING = "pending";
  private static final String DONE = "done:";
  /** A claim outlives a normal delivery many times over, but not WeChat's retries (5 s apart). */
  private static final Duration CLAIM_TTL = Duration.ofSeconds(10);
  /** WeChat retries within about 15 s; answers are kept well beyond that, and beyond 60 s. */
  private static final Duration ANSWER_TTL = Duration.ofMinutes(5);
  private static final long WAIT_STEP_MS = 50;
  private static final long WAIT_MAX_MS = 3000;

  private final Vertx vertx;
  private final Redis redis;

  CallbackDedup(Vertx vertx, Redis redis) {
    this.vertx = vertx;
    this.redis = redis;
  }

  /** Never fails: with Redis away, every delivery counts as first and the store sorts out repeats. */
  Future<Claim> claim(String accountId, InboundMessage message) {
    String key = key(accountId, message);
    return Redis.await(redis.commands().set(key, PENDING, SetArgs.Builder.nx().px(CLAIM_TTL.toMillis())))
      .compose(ok -> "OK".equals(ok) ? Future.succeededFuture(new Claim(true, null)) : awaitAnswer(key, 0))
      .recover(redisAway -> Future.succeededFuture(new Claim(true, null)));
  }

  /** Best effort: without it, a repeat is processed again and answered from the store's refusal. */
  Future<Void> answered(String accountId, InboundMessage message, String answer) {
    return Redis.await(redis.commands().set(key(accountId, message), DONE + (answer == null ? "" : answer),
      SetArgs.Builder.px(ANSWER_TTL.toMillis()))).<Void>mapEmpty().recover(redisAway -> Future.succeededFuture());
  }

  Future<Void> release(String accountId, InboundMessage message) {
    return Redis.await(redis.commands().del(key(accountId, message))).<Void>mapEmpty()
      .recover(redisAway -> Future.succeededFuture());
  }

  private Future<Claim> awaitAnswer(String key, long waited) {
    return Redis.await(redis.commands().get(key)).compose(value -> {
      if (value != null && value.startsWith(DONE)) {
        String answer = value.substring(DONE.length());
        return Future.succeededFuture(new Claim(false, answer.isEmpty() ? null : answer));
      }
      if (value == null) {
        // The first delivery failed and let go meanwhile: this one may take over.
        return Redis.await(redis.commands().set(key, PENDING, SetArgs.Builder.nx().px(CLAIM_TTL.toMillis())))
          .compose(ok -> "OK".equals(ok) ? Future.succeededFuture(new Claim(true, null)) : awaitAnswer(key, waited));
      }
      if (waited >= WAIT_MAX_MS) {
        // The first delivery is stuck or gone: process this one; the store keeps a single copy.
        return Future.succeededFuture(new Claim(true, null));
      }
      Promise<Claim> later = Promise.promise();
      vertx.setTimer(WAIT_STEP_MS, t -> awaitAnswer(key, waited + WAIT_STEP_MS).onComplete(later));
      return later.future();
    });
  }

  private static String key(String accountId, InboundMessage message) {
    return Redis.PREFIX + "wechat:dedup:" + accountId + ":" + message.dedupKey();
  }
}
