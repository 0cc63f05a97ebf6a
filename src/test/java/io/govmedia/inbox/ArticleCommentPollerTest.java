package io.govmedia.inbox;

import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static io.govmedia.inbox.ChannelFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Comments (留言) under the account's mass-sent articles reach the intake once each, unanswered ones only; the
 * articles are those publishing recorded as sent in the look-back window (the slot's msg_data_id).
 */
@DisplayName("Polling comments on our WeChat articles")
class ArticleCommentPollerTest {

  static Client client;
  static String admin;
  static FakeWeChat wechat;

  @BeforeAll
  static void open() {
    ChannelFixtures.open();
    client = TestServer.get().client();
    admin = client.adminToken();
    wechat = TestServer.get().wechat();
  }

  /** What publishing stores for a mass send that went out: the slot with WeChat's msg_data_id in its state. */
  static String massSent(String accountId, Instant at) {
    String msgDataId = ChannelFixtures.digits(10);
    Document slot = new Document("_id", "slot" + Client.unique()).append("postId", "post" + Client.unique())
      .append("postVersion", 1L).append("postTitle", "政策解读").append("departmentId", "d").append("channel", "wechat")
      .append("accountId", accountId).append("mode", "mass").append("at", Times.date(at)).append("dueAt", Times.date(at))
      .append("status", "published").append("seq", 1L).append("attempt", 1)
      .append("state", new Document("msgId", ChannelFixtures.digits(10)).append("msgDataId", msgDataId))
      .append("history", List.of()).append("createdAt", Times.date(at));
    StoreAccess.first(StoreAccess.collection("slots").insertOne(slot));
    return msgDataId;
  }

  @Test
  @DisplayName("new unanswered comments reach the intake once, with what a reply under them needs")
  void newUnansweredCommentsOnce() {
    var registered = ChannelFixtures.wechatAccount(client, admin);
    var account = ChannelFixtures.account(registered.id());
    MovableClock clock = new MovableClock();
    String msgDataId = massSent(registered.id(), clock.instant().minus(Duration.ofDays(1)));
    String oldArticle = massSent(registered.id(), clock.instant().minus(Duration.ofDays(30)));
    wechat.articleComment(oldArticle, 0, ChannelFixtures.openid(), "很久以前的留言");
    int answeredId = wechat.articleComment(msgDataId, 0, ChannelFixtures.openid(), "什么时候开始申报？");
    String openid = ChannelFixtures.openid();
    int openId = wechat.articleComment(msgDataId, 0, openid, "材料清单在哪里下载？");
    await(ChannelFixtures.deliveries(Map.of(), clock).deliver(new Recipient("c1", "2026-000001", Channel.WECHAT_COMMENT,
      registered.id(), Citizen.UNKNOWN, null, new JsonObject().put("msgDataId", msgDataId).put("index", 0)
      .put("userCommentId", answeredId)), "下月初开始。", Deliveries.Purpose.REPLY));
    var intake = new ChannelFixtures.RecordingIntake();
    Pollers pollers = ChannelFixtures.pollers(intake, clock);

    await(pollers.round(List.of(account)));
    wechat.articleComment(msgDataId, 0, openid, "谢谢，已找到。");
    await(pollers.round(List.of(account)));
    await(pollers.round(List.of(account)));

    assertEquals(List.of("材料清单在哪里下载？", "谢谢，已找到。"), intake.texts());
    Incoming taken = intake.accepted.get(0);
    assertEquals(Channel.WECHAT_COMMENT, taken.channel());
    assertEquals(openid, taken.citizen().openid());
    assertEquals(new JsonObject().put("msgDataId", msgDataId).put("index", 0).put("userCommentId", openId),
      taken.replyTarget());
  }
}
