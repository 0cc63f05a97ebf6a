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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("An instance shut down in the middle of a send")
class LeaseTakeoverTest {

  static final String SUBMIT = "/cgi-bin/freepublish/submit";

  static Desk desk;
  static Client client;
  static FakeWeChat fake;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fake = TestServer.get().wechat();
    desk = new Desk(client);
  }

  @Test
  @DisplayName("while WeChat holds its submit leaves the slot needs_check, never sent again: another instance asks WeChat and publishes it, with one submit")
  void anotherInstanceResolves() throws Exception {
    String post = desk.approvedPost("发送途中实例中断", true);
    // due in two minutes: the instance whose clock runs four minutes ahead takes it at once (WeChat's own clock,
    // which the check compares publication times with, is a few minutes off at most)
    JsonObject body = new JsonObject().put("channel", "wechat").put("mode", "freepublish").put("accountId", desk.subscription)
      .put("at", Desk.iso(Instant.now().plus(Duration.ofMinutes(2))));
    String id = desk.scheduled(post, body).getString("id");
    MovableClock ahead = new MovableClock();
    ahead.advance(Duration.ofMinutes(4));
    fake.delayAnswer(SUBMIT, 20_000);
    JsonObject sending;
    JsonObject left;
    try (Main.Running dying = TestServer.get().startAnother(Map.of("GOVMEDIA_PUBLISH_LEASE", "2"), ahead)) {
      sending = desk.awaitSlot(post, id, Duration.ofSeconds(60), s -> s.getJsonObject("state").getBoolean("sending", false));
      awaitSubmitted(id);  // WeChat has it; the answer is still held back when the instance goes
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }
    left = desk.slot(post, id);
    ahead.advance(Duration.ofMinutes(2));  // past the first check the dying instance planned
    JsonObject resolved;
    try (Main.Running other = TestServer.get().startAnother(Map.of(), ahead)) {
      resolved = desk.awaitSlot(post, id, Duration.ofSeconds(60), status("published"));
    }

    assertEquals("publishing", sending.getString("status"));
    assertTrue(List.of("publishing", "needs_check").contains(left.getString("status")), left::encode);
    assertEquals(List.of("scheduled", "publishing", "needs_check", "published"), Desk.moves(resolved), resolved::encode);
    assertEquals(1, resolved.getInteger("attempt"));
    assertEquals(1, fake.submits(id), "WeChat was asked, never sent to twice");
    assertTrue(resolved.getJsonObject("result").getString("url").startsWith("https://mp.weixin.qq.com/s/"));
  }

  private static void awaitSubmitted(String slotId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (fake.submits(slotId) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the submit never reached the fake WeChat");
      }
      Thread.sleep(50);
    }
  }
}
