package io.govmedia.publishing;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * WeChat takes a free publish but answers only after our client gave up: the send's outcome is unknown. An instance
 * of its own, with a 1 s WeChat timeout and a clock a few minutes ahead, is the one that finds the slot due (the
 * shared server's clock is not there yet) and, moved on, the one that checks it.
 */
@DisplayName("A free publish answered after the client's timeout")
class SubmitTimeoutTest {

  static final String SUBMIT = "/cgi-bin/freepublish/submit";
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  @DisplayName("ends needs_check, then published once the check finds it by its slot id, with one submit in WeChat")
  void lateAnswer() {
    Client client = TestServer.get().client();
    FakeWeChat fake = TestServer.get().wechat();
    Desk desk = new Desk(client);
    String account = SchedulerKillTest.serviceAccount(client, desk, fake);
    String post = desk.approvedPost("答复超时的发布", true);
    MovableClock clock = new MovableClock();
    clock.advance(Duration.ofMinutes(4));
    fake.delayAnswer(SUBMIT, 2_500);
    try (Main.Running impatient = TestServer.get().startAnother(Map.of("GOVMEDIA_WECHAT_TIMEOUT", "1"), clock)) {
      JsonObject body = Desk.massSlot(account, Instant.now().plus(Duration.ofMinutes(3))).put("mode", "freepublish");
      Client.Response created = client.post("/api/v1/posts/" + post + "/slots", desk.admin, body);
      assertEquals(201, created.status(), created::toString);
      String id = created.json().getString("id");

      JsonObject unknown = desk.awaitSlot(post, id, WAIT, status("needs_check"));
      clock.advance(Duration.ofMinutes(2));
      JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));

      assertEquals(List.of("scheduled", "publishing", "needs_check"), Desk.moves(unknown));
      assertEquals(List.of("scheduled", "publishing", "needs_check", "published"), Desk.moves(published));
      assertEquals(1, published.getInteger("attempt"), published::encodePrettily);
      assertEquals(1, fake.submits(id), "one submit in WeChat");
      assertEquals(published.getJsonObject("result").getString("channelId"),
        published.getJsonObject("state").getString("articleId"));
    } finally {
      fake.delayAnswer(SUBMIT, 0);
    }
  }
}
