package io.govmedia.wechat;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.lettuce.core.SetArgs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Shared by all instances through Redis: the first delivery of a message claims its key with SET NX; once
 * the message is stored, the key holds the answer, so a repeat gets the same answer without being processed
 * again. A repeat that arrives while the first is still being stored waits briefly for it; if the first
 * fails, the key is released and WeChat's next retry is processed afresh.
 */
final class CallbackDedup {

  /** The outcome of a claim: first delivery, or a repeat with the answer already given (empty for "success"). */
  record Claim(boolean first, String answer) {}

  private static final String PENDING = "pending";
  private static final String DONE = "done:";
  /** WeChat retries within about 15 s; keys are kept well beyond that, and at least the 60 s the issue asks. */
  private static final Duration CLAIM_TTL = Duration.ofSeconds(60);
  private static final Duration ANSWER_TTL = Duration.ofMinutes(5);
  private static final long WAIT_STEP_MS = 50;
  private static final long WAIT_MAX_MS = 3000;

  private final Vertx vertx;
  private final Redis redis;

  CallbackDedup(Vertx vertx, Redis redis) {
    this.vertx = vertx;
    this.redis = redis;
  }

  Future<Claim> claim(String accountId, InboundMessage message) {
    String key = key(accountId, message);
    return Redis.await(redis.commands().set(key, PENDING, SetArgs.Builder.nx().px(CLAIM_TTL.toMillis())))
      .compose(ok -> "OK".equals(ok) ? Future.succeededFuture(new Claim(true, null)) : awaitAnswer(key, 0));
  }

  Future<Void> answered(String accountId, InboundMessage message, String answer) {
    return Redis.await(redis.commands().set(key(accountId, message), DONE + (answer == null ? "" : answer),
      SetArgs.Builder.px(ANSWER_TTL.toMillis()))).mapEmpty();
  }

  Future<Void> release(String accountId, InboundMessage message) {
    return Redis.await(redis.commands().del(key(accountId, message))).mapEmpty();
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
        return Future.failedFuture(new Problem(503, "wechat-delivery-in-progress", "该消息正在处理，请稍后重试", null));
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
