package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.accounts.Account;
import io.govmedia.fakes.FakeWeibo;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static io.govmedia.inbox.ChannelFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weibo comments to the account's statuses and mentions of it reach the intake once each, through the cursor kept in
 * MongoDB; a rate-limit answer holds the account back until the window has passed; two instances never poll one
 * account at once. Each test runs poll rounds itself, as one or two instances would, against the fake Weibo.
 */
@DisplayName("Polling Weibo comments and mentions")
class WeiboPollerTest {

  static final String TO_ME = "/2/comments/to_me.json";
  static Client client;
  static String admin;
  static FakeWeibo weibo;

  @BeforeAll
  static void open() {
    ChannelFixtures.open();
    client = TestServer.get().client();
    admin = client.adminToken();
    weibo = TestServer.get().weibo();
  }

  static String cursor(String accountId, String kind) {
    Document found = StoreAccess.first(StoreAccess.collection("inbox_cursors").find(eq("_id", accountId + ":" + kind)));
    return found == null ? null : found.get("state", Document.class).getString("sinceId");
  }

  @Test
  @DisplayName("each new comment reaches the intake once, the account's own comments never, and the cursor moves past them")
  void newCommentsOnce() {
    var registered = ChannelFixtures.weiboAccount(client, admin);
    Account account = ChannelFixtures.account(registered.id());
    String citizen = ChannelFixtures.digits(10);
    FakeWeibo.Comment first = weibo.commentTo(registered.uid(), "4900000000000011", citizen, "市民甲", "路灯不亮");
    weibo.commentTo(registered.uid(), "4900000000000011", ChannelFixtures.digits(10), "市民乙", "井盖缺失");
    FakeWeibo.Comment own = weibo.commentTo(registered.uid(), "4900000000000011", registered.uid(), "官方", "已转交");
    var intake = new ChannelFixtures.RecordingIntake();
    Pollers pollers = ChannelFixtures.pollers(intake, new MovableClock());

    await(pollers.round(List.of(account)));
    String cursorAfterFirst = cursor(registered.id(), "weibo_comments");
    FakeWeibo.Comment later = weibo.commentTo(registered.uid(), "4900000000000012", citizen, "市民甲", "还是不亮");
    await(pollers.round(List.of(account)));
    await(pollers.round(List.of(account)));

    assertEquals(List.of("路灯不亮", "井盖缺失", "还是不亮"), intake.texts());
    Incoming taken = intake.accepted.get(0);
    assertEquals(Channel.WEIBO, taken.channel());
    assertEquals(citizen, taken.citizen().weiboUid());
    assertEquals(new JsonObject().put("statusId", "4900000000000011").put("commentId", String.valueOf(first.id())),
      taken.replyTarget());
    assertEquals(String.valueOf(own.id()), cursorAfterFirst, "past the account's own comment too");
    assertEquals(String.valueOf(later.id()), cursor(registered.id(), "weibo_comments"));
  }

  @Test
  @DisplayName("a status mentioning the account reaches the intake with the status to comment on")
  void mentions() {
    var registered = ChannelFixtures.weiboAccount(client, admin);
    FakeWeibo.Comment mention = weibo.mention(registered.uid(), ChannelFixtures.digits(10), "市民丙", "@区政务 公交站牌错了");
    var intake = new ChannelFixtures.RecordingIntake();

    await(ChannelFixtures.pollers(intake, new MovableClock()).round(List.of(ChannelFixtures.account(registered.id()))));

    assertEquals(List.of("@区政务 公交站牌错了"), intake.texts());
    assertEquals(new JsonObject().put("statusId", String.valueOf(mention.id())), intake.accepted.get(0).replyTarget());
    assertEquals(String.valueOf(mention.id()), cursor(registered.id(), "weibo_mentions"));
  }

  @Test
  @DisplayName("after Weibo's rate-limit answer the account is not polled again until the hour has passed")
  void backsOffOnRateLimit() {
    var registered = ChannelFixtures.weiboAccount(client, admin);
    Account account = ChannelFixtures.account(registered.id());
    weibo.commentTo(registered.uid(), "4900000000000021", ChannelFixtures.digits(10), "市民丁", "噪音扰民");
    var intake = new ChannelFixtures.RecordingIntake();
    MovableClock clock = new MovableClock();
    Pollers pollers = ChannelFixtures.pollers(intake, clock);
    weibo.failNext(TO_ME, 10023);

    await(pollers.round(List.of(account)));
    int callsWhenLimited = weibo.calls(TO_ME, registered.uid());
    await(pollers.round(List.of(account)));
    int callsInTheWindow = weibo.calls(TO_ME, registered.uid());
    clock.advance(Duration.ofMinutes(61));
    await(pollers.round(List.of(account)));

    assertEquals(1, callsWhenLimited);
    assertEquals(1, callsInTheWindow, "held back within the hour");
    assertEquals(2, weibo.calls(TO_ME, registered.uid()));
    assertEquals(List.of("噪音扰民"), intake.texts());
  }

  @Test
  @DisplayName("a server polls every inbox.pollSeconds by itself, moving the account's cursor past new comments")
  void serverPollsByItself() throws Exception {
    var registered = ChannelFixtures.weiboAccount(client, admin);
    FakeWeibo.Comment comment = weibo.commentTo(registered.uid(), "4900000000000041", ChannelFixtures.digits(10), "市民己",
      "垃圾清运不及时");
    try (Main.Running polling = TestServer.get().startAnother(Map.of("GOVMEDIA_INBOX_POLL_SECONDS", "1"))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!String.valueOf(comment.id()).equals(cursor(registered.id(), "weibo_comments"))
        && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }

    assertEquals(String.valueOf(comment.id()), cursor(registered.id(), "weibo_comments"));
  }

  @Test
  @DisplayName("two instances polling the same account at once: one polls, the other leaves it to them")
  void oneInstanceAtATime() {
    var registered = ChannelFixtures.weiboAccount(client, admin);
    Account account = ChannelFixtures.account(registered.id());
    weibo.commentTo(registered.uid(), "4900000000000031", ChannelFixtures.digits(10), "市民戊", "占道经营");
    var intakeA = new ChannelFixtures.RecordingIntake();
    var intakeB = new ChannelFixtures.RecordingIntake();
    Pollers instanceA = ChannelFixtures.pollers(intakeA, new MovableClock());
    Pollers instanceB = ChannelFixtures.pollers(intakeB, new MovableClock());
    weibo.delayNext(TO_ME, 1500).delayNext(TO_ME, 1500);

    Future<?> a = instanceA.round(List.of(account));
    Future<?> b = instanceB.round(List.of(account));
    await(Future.join(a, b));

    assertEquals(1, weibo.mostAtOnce(TO_ME, registered.uid()));
    assertEquals(1, weibo.calls(TO_ME, registered.uid()), "the second instance found the lease taken");
    assertEquals(1, intakeA.accepted.size() + intakeB.accepted.size());
    assertTrue(cursor(registered.id(), "weibo_comments") != null);
  }
}
