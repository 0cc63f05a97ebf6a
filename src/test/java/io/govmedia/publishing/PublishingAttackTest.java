package io.govmedia.publishing;

import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.govmedia.wechat.WeChatFeature;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;

import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an attacker or a careless client tries on publishing, and what must hold up. */
@DisplayName("Publishing under attack and misuse")
class PublishingAttackTest {

  static final Duration WAIT = Duration.ofSeconds(40);

  static Desk desk;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
  }

  static JsonObject wechat(String mode, String accountId) {
    return new JsonObject().put("channel", "wechat").put("mode", mode).put("accountId", accountId).put("at", (String) null);
  }

  @Test
  @DisplayName("a post edited while WeChat is still publishing it: the slot still ends published once WeChat reports it out")
  void editedWhileInFlight() {
    String post = desk.approvedPost("发送途中被修改的推送", true);
    String id = desk.scheduled(post, wechat("freepublish", desk.service)).getString("id");
    JsonObject pending = desk.awaitSlot(post, id, WAIT, s -> s.getJsonObject("state").getString("publishId") != null);

    Client.Response edited = client.patch("/api/v1/posts/" + post, desk.editor, new JsonObject().put("title", "修改后的标题"));
    TestServer.get().running().vertx().eventBus().publish(WeChatFeature.PUBLISH_JOB_ADDRESS, new JsonObject()
      .put("accountId", desk.service).put("publishId", pending.getJsonObject("state").getString("publishId"))
      .put("publishStatus", 0));
    JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));

    assertEquals(200, edited.status(), edited::toString);
    assertEquals("draft", edited.json().getString("status"));
    assertTrue(published.getJsonObject("result").getString("url").startsWith("https://mp.weixin.qq.com/s/"), published::encode);
    assertEquals(1, TestServer.get().wechat().submits(id));
  }

  @Test
  @DisplayName("a withdrawn mass send still counts in the quota (WeChat counts it): a second mass send that day is 409")
  void withdrawnMassSendKeepsItsQuotaPlace() {
    String first = desk.approvedPost("群发后撤回", true);
    String second = desk.approvedPost("撤回后再群发", true);
    String id = desk.scheduled(first, wechat("mass", desk.subscription)).getString("id");
    desk.awaitSlot(first, id, WAIT, status("published"));

    Client.Response withdrawn = client.post("/api/v1/posts/" + first + "/slots/" + id + "/withdraw", desk.editor,
      new JsonObject().put("reason", "内容有误"));
    Client.Response again = desk.schedule(second, wechat("mass", desk.subscription));

    assertEquals(200, withdrawn.status(), withdrawn::toString);
    assertEquals("withdrawn", withdrawn.json().getString("status"));
    assertEquals(409, again.status(), again::toString);
    assertEquals("mass-quota-exceeded", again.problemCode());
  }

  @Test
  @DisplayName("the calendar shows the mass-send quota of the caller's own accounts only, whatever accountId is asked for")
  void calendarQuotaStaysInScope() {
    Desk other = new Desk(client);
    String today = LocalDate.now(Times.ZONE).toString();

    Client.Response peek = client.get("/api/v1/calendar?from=" + today + "&to=" + today + "&accountId=" + desk.subscription,
      other.editor);
    Client.Response own = client.get("/api/v1/calendar?from=" + today + "&to=" + today + "&accountId=" + desk.subscription,
      desk.editor);

    assertEquals(200, peek.status(), peek::toString);
    assertEquals(0, peek.json().getJsonArray("items").size(), peek::toString);
    assertEquals(0, peek.json().getJsonArray("quota").size(), peek::toString);
    assertEquals(1, own.json().getJsonArray("quota").size(), own::toString);
  }

  @Test
  @DisplayName("calendar dates far outside any real schedule are 400 invalid-date, not a server error")
  void calendarExtremeDates() {
    java.util.List<String> answers = new java.util.ArrayList<>();
    for (String day : new String[] {"+99999999-01-01", "+999999999-12-31", "-999999999-01-01", "1900-01-01"}) {
      Client.Response response = client.get("/api/v1/calendar?from=" + day.replace("+", "%2B") + "&to="
        + day.replace("+", "%2B"), desk.editor);
      answers.add(day + " " + response.status() + " " + (response.status() >= 400 ? response.problemCode() : ""));
    }

    assertEquals(java.util.List.of("+99999999-01-01 400 invalid-date", "+999999999-12-31 400 invalid-date",
      "-999999999-01-01 400 invalid-date", "1900-01-01 400 invalid-date"), answers);
  }
}
