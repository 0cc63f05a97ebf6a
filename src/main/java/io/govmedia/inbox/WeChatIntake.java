package io.govmedia.inbox;

import io.govmedia.wechat.InboxHandOff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * WeChat chat messages into cases: each instance takes the callback's hand-off on the event bus (its own messages),
 * and a sweep makes cases of messages still pending a minute after they arrived (their instance died, or the case
 * could not be made then). A message becomes an {@link Incoming} with its text; an image, voice or video message
 * carries its WeChat media id as the attachment {@code wechat-media:<id>} and a placeholder text ([图片], [语音]…,
 * a voice's recognition when WeChat gave one). The message is marked {@code case} only after the case exists.
 */
final class WeChatIntake {

  private static final Logger log = LoggerFactory.getLogger(WeChatIntake.class);
  static final Duration SWEEP_AFTER = Duration.ofMinutes(1);
  /** Messages made into cases per sweep and instance: the rest wait for the next run. */
  static final int SWEEP_BATCH = 200;

  private final InboxHandOff handOff;
  private final CaseIntake intake;
  private final BiFunction<String, String, Future<String>> unionids;
  private final Clock clock;
  private MessageConsumer<JsonObject> consumer;

  /** {@code unionids}: the unionid WeChat gave for a follower (account, openid), or null. */
  WeChatIntake(InboxHandOff handOff, CaseIntake intake, BiFunction<String, String, Future<String>> unionids,
               Clock clock) {
    this.handOff = handOff;
    this.intake = intake;
    this.unionids = unionids;
    this.clock = clock;
  }

  void listen(Vertx vertx) {
    consumer = vertx.eventBus().<JsonObject>localConsumer(InboxHandOff.ADDRESS, message -> {
      String id = message.body().getString("messageId");
      handOff.message(id).compose(this::take).onFailure(failure ->
        log.warn("WeChat message {} not made a case yet; the sweep tries again", id, failure));
    });
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Makes cases of messages pending for over a minute, at most {@link #SWEEP_BATCH} a run, one after the other. */
  Future<Integer> sweep() {
    return handOff.pendingBefore(clock.instant().minus(SWEEP_AFTER), SWEEP_BATCH).compose(pending -> {
      Future<Integer> done = Future.succeededFuture(0);
      for (InboxHandOff.Message m : pending) {
        done = done.compose(n -> take(m).map(v -> n + 1).recover(failure -> {
          log.warn("WeChat message {} not made a case by the sweep", m.id(), failure);
          return Future.succeededFuture(n);
        }));
      }
      return done;
    });
  }

  private Future<Void> take(InboxHandOff.Message m) {
    if (m == null || !m.pending()) {
      return Future.succeededFuture();
    }
    // The unionid (when the follower's profile has one) lets the citizen find the case in the mini-program too.
    Future<String> unionid = m.openid() == null ? Future.succeededFuture()
      : unionids.apply(m.accountId(), m.openid()).recover(failure -> Future.succeededFuture());
    return unionid.compose(u -> intake.accept(incoming(m, u)))
      .compose(accepted -> handOff.handedOver(m.id(), accepted.caseId()));
  }

  static Incoming incoming(InboxHandOff.Message m, String unionid) {
    String placeholder = switch (m.msgType() == null ? "" : m.msgType()) {
      case "image" -> "[图片]";
      case "voice" -> "[语音]";
      case "video", "shortvideo" -> "[视频]";
      case "location" -> "[位置]";
      case "link" -> "[链接]";
      default -> "[消息]";
    };
    String text = m.content() != null && !m.content().isBlank()
      ? ("text".equals(m.msgType()) ? m.content() : placeholder + " " + m.content())
      : placeholder;
    List<String> attachments = m.mediaId() == null ? List.of() : List.of("wechat-media:" + m.mediaId());
    return new Incoming(Channel.WECHAT, m.accountId(), new Citizen(m.openid(), unionid, null, null), text, attachments,
      m.receivedAt(), "wechat:" + m.id(), null);
  }
}
