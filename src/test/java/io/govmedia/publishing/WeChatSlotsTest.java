package io.govmedia.publishing;

import io.govmedia.fakes.FakeWeChat;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.govmedia.wechat.WeChatFeature;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Slots on a WeChat official account, against the fake WeChat")
class WeChatSlotsTest {

  static final Duration WAIT = Duration.ofSeconds(40);

  static Desk desk;
  static Client client;
  static FakeWeChat fake;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fake = TestServer.get().wechat();
    desk = new Desk(client);
  }

  static JsonObject slot(String mode, String accountId) {
    return new JsonObject().put("channel", "wechat").put("mode", mode).put("accountId", accountId).put("at", (String) null);
  }

  @Test
  @DisplayName("a free publish is submitted once, waits for WeChat's job, and is published when PUBLISHJOBFINISH arrives")
  void freePublish() {
    String post = desk.approvedPost("免费发布的推送", true);
    String id = desk.scheduled(post, slot("freepublish", desk.subscription)).getString("id");

    JsonObject pending = desk.awaitSlot(post, id, WAIT, s -> s.getJsonObject("state").getString("publishId") != null);
    TestServer.get().running().vertx().eventBus().publish(WeChatFeature.PUBLISH_JOB_ADDRESS, new JsonObject()
      .put("accountId", desk.subscription).put("publishId", pending.getJsonObject("state").getString("publishId"))
      .put("publishStatus", 0));
    JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));

    assertEquals("publishing", pending.getString("status"), pending::encode);
    assertTrue(published.getJsonObject("result").getString("url").startsWith("https://mp.weixin.qq.com/s/"), published::encode);
    assertEquals(1, fake.submits(id));
    assertEquals(1, published.getInteger("attempt"));
  }

  @Test
  @DisplayName("a mass send goes out once with the slot's clientMsgId and keeps its place in the quota")
  void massSend() {
    String post = desk.approvedPost("群发的推送", true);
    JsonObject created = desk.scheduled(post, slot("mass", desk.service));

    JsonObject published = desk.awaitSlot(post, created.getString("id"), WAIT, status("published"));

    assertEquals(created.getString("id"), published.getString("clientMsgId"));
    assertEquals(1, fake.massSends(published.getString("clientMsgId")));
    assertEquals(java.util.List.of("scheduled", "publishing", "published"), Desk.moves(published));
  }

  @Test
  @DisplayName("WeChat refusing a mass send (quota used up in its console) fails the slot with that reason; the editor's retry sends it once")
  void refusedThenRetried() {
    String post = desk.approvedPost("被拒后重试的群发", true);
    fake.failNext("/cgi-bin/message/mass/sendall", 45028);
    String id = desk.scheduled(post, slot("mass", desk.subscription)).getString("id");

    JsonObject failed = desk.awaitSlot(post, id, WAIT, status("failed"));
    Client.Response retried = client.raw("POST", "/api/v1/posts/" + post + "/slots/" + id + "/retry", desk.editor, null,
      null);
    JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));

    assertEquals("mass-quota-exceeded", failed.getJsonObject("error").getString("code"), failed::encode);
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(1, fake.massSends(id));
    assertEquals(2, published.getInteger("attempt"));
  }

  @Test
  @DisplayName("WeChat being busy puts a free publish back to scheduled with a backoff instead of failing it")
  void busyRetriesLater() {
    String post = desk.approvedPost("繁忙时的推送", true);
    fake.failNext("/cgi-bin/freepublish/submit", -1, -1, -1, -1);
    String id = desk.scheduled(post, slot("freepublish", desk.service)).getString("id");

    JsonObject later = desk.awaitSlot(post, id, WAIT, s -> s.getInteger("attempt") == 1 && "scheduled".equals(s.getString("status")));

    assertEquals(java.util.List.of("scheduled", "publishing", "scheduled"), Desk.moves(later));
    assertTrue(java.time.OffsetDateTime.parse(later.getString("dueAt")).toInstant()
      .isAfter(java.time.Instant.now().plusSeconds(30)), later::encode);
    assertEquals(0, fake.submits(id));
  }
}
