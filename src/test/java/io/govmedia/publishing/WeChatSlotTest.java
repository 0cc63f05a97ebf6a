package io.govmedia.publishing;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WeChat free publish slots end to end, where WeChat's answer is late or negative: scheduled through the API. */
@DisplayName("A WeChat free publish slot")
class WeChatSlotTest {

  static final String SUBMIT = "/cgi-bin/freepublish/submit";
  static final Duration WAIT = Duration.ofSeconds(45);

  static Desk desk;
  static FakeWeChat fake;

  @BeforeAll
  static void start() {
    desk = new Desk(TestServer.get().client());
    fake = TestServer.get().wechat();
  }

  @Test
  @DisplayName("whose submit WeChat answers after the client's timeout ends needs_check, then published by asking WeChat, with one submit")
  void submitAnsweredAfterTimeout() {
    String post = desk.approvedPost("秋季防汛工作提示", true);
    MovableClock clock = new MovableClock();
    // Whichever instance sends gives up before the answer: the shared one after 10 s, this one after 1 s.
    fake.delayAnswer(SUBMIT, 11_000);
    try (Main.Running checker = TestServer.get().startAnother(Map.of("GOVMEDIA_WECHAT_TIMEOUT", "1"), clock)) {
      String slot = desk.scheduled(post, freePublishNow(desk.service)).getString("id");
      JsonObject unknown = desk.awaitSlot(post, slot, WAIT, status("needs_check"));
      fake.delayAnswer(SUBMIT, 0);
      clock.advance(Duration.ofMinutes(2));  // the check is due a minute after the send: this instance is there now

      JsonObject published = desk.awaitSlot(post, slot, WAIT, status("published"));

      assertEquals(List.of("scheduled", "publishing", "needs_check", "published"), Desk.moves(published));
      assertTrue(unknown.getJsonObject("state").getBoolean("sending"), unknown::encode);
      assertTrue(published.getJsonObject("result").getString("url").startsWith("https://mp.weixin.qq.com/s/"),
        published::encode);
      assertEquals(1, fake.submits(slot), "asked, never submitted again");
      assertEquals(1, fake.draftsPerSlot().get(slot));
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }
  }

  @Test
  @DisplayName("whose job fails WeChat's audit ends failed with the reason, once WeChat reports it")
  void auditFailure() {
    String post = desk.approvedPost("审核未通过的推送", true);
    fake.nextJobsEnd(4);
    String slot = desk.scheduled(post, freePublishNow(desk.subscription)).getString("id");
    JsonObject pending = desk.awaitSlot(post, slot, WAIT, s -> s.getJsonObject("state").getString("publishId") != null);

    // What the callback hands over when WeChat pushes PUBLISHJOBFINISH: the slot is checked at once.
    TestServer.get().running().vertx().eventBus().publish(io.govmedia.wechat.WeChatFeature.PUBLISH_JOB_ADDRESS,
      new JsonObject().put("accountId", desk.subscription)
        .put("publishId", pending.getJsonObject("state").getString("publishId")).put("publishStatus", 4));
    JsonObject failed = desk.awaitSlot(post, slot, WAIT, status("failed"));

    assertEquals("wechat-audit-failed", failed.getJsonObject("error").getString("code"), failed::encode);
    assertEquals(1, fake.submits(slot));
  }

  static JsonObject freePublishNow(String accountId) {
    return new JsonObject().put("channel", "wechat").put("mode", "freepublish").put("accountId", accountId)
      .putNull("at");
  }
}
