package io.govmedia.wechat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;

/**
 * What happens to a verified delivery: dedup claim → reply decided from the cached auto-reply rules (no
 * outbound call) → stored with its raw fields → followers updated → the answer remembered for repeats →
 * citizen messages handed to the inbox. Nothing is answered before it is stored; if storing fails, the claim
 * is released so that WeChat's retry is processed afresh.
 */
final class CallbackIntake {

  /** The event-bus address of the hand-off to the inbox; the stored {@code inbox.status} is its durable half. */
  static final String INBOX_ADDRESS = "govmedia.inbox.intake";

  private final Vertx vertx;
  private final CallbackDedup dedup;
  private final AutoReplies replies;
  private final MessageStore messages;
  private final FollowerStore followers;
  private final Clock clock;
  /** Deliveries stored (each handed to the inbox once), repeats answered from Redis, repeats the store refused. */
  private final Counter stored;
  private final Counter repeatsAnswered;
  private final Counter alreadyStored;

  CallbackIntake(Vertx vertx, CallbackDedup dedup, AutoReplies replies, MessageStore messages, FollowerStore followers,
                 Clock clock, MeterRegistry metrics) {
    this.stored = outcome(metrics, "stored");
    this.repeatsAnswered = outcome(metrics, "repeat_answered");
    this.alreadyStored = outcome(metrics, "already_stored");
    this.vertx = vertx;
    this.dedup = dedup;
    this.replies = replies;
    this.messages = messages;
    this.followers = followers;
    this.clock = clock;
  }

  /** The plain reply XML to answer with, or null for "success". */
  Future<String> receive(String accountId, InboundMessage message) {
    return dedup.claim(accountId, message).compose(claim -> {
      if (claim.first()) {
        return process(accountId, message);
      }
      repeatsAnswered.increment();
      return Future.succeededFuture(claim.answer());
    });
  }

  private static Counter outcome(MeterRegistry metrics, String outcome) {
    return Counter.builder("govmedia.wechat.callbacks").tag("outcome", outcome)
      .description("WeChat callback deliveries by outcome").register(metrics);
  }

  private Future<String> process(String accountId, InboundMessage message) {
    Instant now = clock.instant();
    return replies.match(accountId, message).compose(match -> {
      boolean citizenMessage = !message.isEvent() && !match.keywordHit();
      String answer = match.reply() == null ? null
        : match.reply().toXml(message.fromUser(), message.toUser(), now.getEpochSecond());
      var record = MessageStore.record(accountId, message, citizenMessage, answer != null, now);
      // "Already stored" happens when Redis lost the claim but the store has the delivery: answer it again and
      // do not hand it to the inbox a second time. Followers are updated either way (the update is idempotent),
      // so a follower update that failed on the first delivery is made by the retry.
      return messages.insert(record)
        .compose(isNew -> updateFollowers(accountId, message)
          .compose(v -> dedup.answered(accountId, message, answer))
          .map(isNew))
        .map(isNew -> {
          (isNew ? stored : alreadyStored).increment();
          if (isNew && citizenMessage) {
            vertx.eventBus().publish(INBOX_ADDRESS, new JsonObject().put("channel", "wechat_mp")
              .put("accountId", accountId).put("messageId", record.getString("_id")));
          }
          if (isNew) {
            handOverPublishJob(accountId, message);
          }
          return answer;
        })
        .recover(failure -> dedup.release(accountId, message).transform(released -> Future.<String>failedFuture(failure)));
    });
  }

  /**
   * A free publish job's result goes to publishing once per stored delivery (a repeat was handed over already). If
   * this instance dies before, publishing still learns the result by asking WeChat (freepublish/get).
   */
  private void handOverPublishJob(String accountId, InboundMessage message) {
    if (message.isEvent() && "PUBLISHJOBFINISH".equals(message.event())) {
      JsonObject job = CallbackXml.publishJob(accountId, message.fields());
      if (job != null) {
        vertx.eventBus().publish(WeChatFeature.PUBLISH_JOB_ADDRESS, job);
      }
    }
  }

  private Future<Void> updateFollowers(String accountId, InboundMessage message) {
    if (!message.isEvent()) {
      return Future.succeededFuture();
    }
    return switch (message.event()) {
      case "subscribe" -> followers.subscribed(accountId, message.fromUser(), message.createdAt(), message.eventKey());
      case "unsubscribe" -> followers.unsubscribed(accountId, message.fromUser(), message.createdAt());
      default -> Future.succeededFuture();
    };
  }
}
