package io.govmedia.wechat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger log = LoggerFactory.getLogger(CallbackIntake.class);

  private final Vertx vertx;
  private final CallbackDedup dedup;
  private final AutoReplies replies;
  private final MessageStore messages;
  private final FollowerStore followers;
  private final Clock clock;

  CallbackIntake(Vertx vertx, CallbackDedup dedup, AutoReplies replies, MessageStore messages, FollowerStore followers,
                 Clock clock) {
    this.vertx = vertx;
    this.dedup = dedup;
    this.replies = replies;
    this.messages = messages;
    this.followers = followers;
    this.clock = clock;
  }

  /** The plain reply XML to answer with, or null for "success". */
  Future<String> receive(String accountId, InboundMessage message) {
    return dedup.claim(accountId, message).compose(claim -> claim.first()
      ? process(accountId, message)
      : Future.succeededFuture(claim.answer()));
  }

  private Future<String> process(String accountId, InboundMessage message) {
    Instant now = clock.instant();
    return replies.match(accountId, message).compose(match -> {
      boolean citizenMessage = !message.isEvent() && !match.keywordHit();
      String answer = match.reply() == null ? null
        : match.reply().toXml(message.fromUser(), message.toUser(), now.getEpochSecond());
      var record = MessageStore.record(accountId, message, citizenMessage, answer != null, now);
      // "Already stored" happens when Redis lost the claim but the store has the delivery: answer it again,
      // but do not update followers or hand it to the inbox a second time.
      return messages.insert(record)
        .compose(stored -> (stored ? updateFollowers(accountId, message) : Future.<Void>succeededFuture())
          .compose(v -> dedup.answered(accountId, message, answer))
          .map(stored))
        .map(stored -> {
          if (stored && citizenMessage) {
            vertx.eventBus().publish(INBOX_ADDRESS, new JsonObject().put("channel", "wechat_mp")
              .put("accountId", accountId).put("messageId", record.getString("_id")));
          }
          return answer;
        })
        .recover(failure -> dedup.release(accountId, message)
          .transform(released -> {
            if (released.failed()) {
              log.warn("dedup claim of a failed delivery to account {} not released; it expires by itself", accountId);
            }
            return Future.<String>failedFuture(failure);
          }));
    });
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
