package io.govmedia.publishing;

import io.govmedia.Main;
import io.govmedia.platform.Times;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.miniappSlot;
import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The emergency stop, the publishing calendar and the inspection guard")
class PublishingViewsTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  static Desk desk;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
  }

  @Test
  @DisplayName("while an admin holds publishing a due slot stays scheduled and shown held; on release it is missed and the editor decides again")
  void holdAndRelease() {
    String post = desk.approvedPost("紧急暂停期间的稿件", false);
    Client.Response byEditor = client.post("/api/v1/publishing/hold", desk.editor, new JsonObject().put("reason", "试试"));
    Client.Response held = client.post("/api/v1/publishing/hold", desk.admin, new JsonObject().put("reason", "全国哀悼日"));
    JsonObject slot;
    Client.Response shown;
    Client.Response released;
    try {
      slot = desk.scheduled(post, miniappSlot(desk.miniapp, null));
      shown = client.get("/api/v1/publishing/hold", desk.editor);
    } finally {
      released = client.raw("POST", "/api/v1/publishing/release", desk.admin, null, null);
    }
    JsonObject missed = desk.awaitSlot(post, slot.getString("id"), WAIT, status("missed"));
    Client.Response retried = client.raw("POST", "/api/v1/posts/" + post + "/slots/" + slot.getString("id") + "/retry",
      desk.editor, null, null);

    assertEquals(403, byEditor.status(), byEditor::toString);
    assertEquals(200, held.status(), held::toString);
    assertEquals("scheduled", slot.getString("status"));
    assertTrue(slot.getBoolean("held"), slot::encode);
    assertEquals("全国哀悼日", shown.json().getString("reason"));
    assertEquals(200, released.status(), released::toString);
    assertTrue(released.json().getInteger("missed") >= 1, released::toString);
    assertEquals(List.of("scheduled", "missed"), Desk.moves(missed));
    assertEquals(200, retried.status(), retried::toString);
    desk.awaitSlot(post, slot.getString("id"), WAIT, status("published"));
  }

  @Test
  @DisplayName("the calendar lists the slots of the days asked, to the editors of their accounts and department, and refuses ranges over 62 days")
  void calendar() {
    String post = desk.approvedPost("日历中的稿件", false);
    Instant at = Instant.now().plus(Duration.ofDays(4));
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, at)).getString("id");
    LocalDate day = LocalDate.ofInstant(at, Times.ZONE);
    String range = "/api/v1/calendar?from=" + day + "&to=" + day;
    String otherDepartment = client.department(desk.admin, "外单位", null);
    String outsider = client.staffToken(desk.admin, List.of("editor"), List.of(otherDepartment), List.of());

    JsonArray mine = client.get(range, desk.editor).json().getJsonArray("items");
    JsonArray admins = client.get(range, desk.admin).json().getJsonArray("items");
    JsonArray theirs = client.get(range, outsider).json().getJsonArray("items");
    Client.Response dayBefore = client.get("/api/v1/calendar?from=" + day.minusDays(1) + "&to=" + day.minusDays(1),
      desk.editor);
    Client.Response tooLong = client.get("/api/v1/calendar?from=" + day + "&to=" + day.plusDays(62), desk.editor);
    Client.Response badDate = client.get("/api/v1/calendar?from=2026-13-01&to=" + day, desk.editor);

    assertTrue(ids(mine).contains(id), mine::encode);
    assertEquals("日历中的稿件", mine.getJsonObject(ids(mine).indexOf(id)).getString("postTitle"));
    assertTrue(ids(admins).contains(id));
    assertTrue(!ids(theirs).contains(id), theirs::encode);
    assertTrue(!ids(dayBefore.json().getJsonArray("items")).contains(id));
    assertEquals(400, tooLong.status(), tooLong::toString);
    assertEquals(400, badDate.status(), badDate::toString);
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  @Test
  @DisplayName("an account with nothing published is a warning after 10 Asia/Shanghai days and an alarm after 14; a publication makes it ok")
  void inspection() {
    Desk desk = new Desk(client);  // accounts of its own: the other tests publish on theirs
    String post = desk.approvedPost("巡检用稿件", false);
    MovableClock clock = new MovableClock();
    clock.advance(Duration.ofDays(11));
    try (Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {
      Client there = new Client(later.port());
      String token = there.adminToken();

      JsonObject warning = row(there.get("/api/v1/accounts/inspection", token), desk.miniapp);
      clock.advance(Duration.ofDays(4));
      JsonObject alarm = row(there.get("/api/v1/accounts/inspection", token), desk.miniapp);
      Client.Response scheduled = there.post("/api/v1/posts/" + post + "/slots", token, miniappSlot(desk.miniapp, null));
      desk.awaitSlot(post, scheduled.json().getString("id"), WAIT, status("published"));
      JsonObject ok = row(there.get("/api/v1/accounts/inspection", token), desk.miniapp);

      assertEquals("warning", warning.getString("state"), warning::encode);
      assertTrue(warning.getLong("daysSinceLastPost") >= 10 && warning.getLong("daysSinceLastPost") <= 12, warning::encode);
      assertEquals(null, warning.getString("lastPublishedAt"));
      assertEquals("alarm", alarm.getString("state"), alarm::encode);
      assertEquals("ok", ok.getString("state"), ok::encode);
      assertEquals(0, ok.getLong("daysSinceLastPost"));
    }
  }

  private static JsonObject row(Client.Response response, String accountId) {
    assertEquals(200, response.status(), response::toString);
    for (Object item : response.items()) {
      if (accountId.equals(((JsonObject) item).getString("accountId"))) {
        return (JsonObject) item;
      }
    }
    throw new AssertionError(accountId + " not listed: " + response);
  }
}
