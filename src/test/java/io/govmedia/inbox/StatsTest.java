package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The statistics on a small known set, on stores of their own: four cases in two departments, one transferred, one
 * returned, the rest left to run overdue; each department's figures, the office's, the overdue list, and the scope.
 */
@DisplayName("Case statistics")
class StatsTest {

  static MovableClock clock;
  static Main.Running instance;
  static Client client;
  static String admin;
  static String departmentA;
  static String departmentB;
  static Inbox.Member dispatcher;
  static Inbox.Member replierA;
  static Inbox.Member replierB;
  static String keptInA;

  @BeforeAll
  static void start() {
    clock = new MovableClock();
    clock.advance(Duration.between(clock.instant(), OffsetDateTime.parse("2026-03-02T10:00:00+08:00").toInstant()));
    instance = OwnStores.start(3, clock, Map.of());
    client = new Client(instance.port());
    admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    departmentA = client.department(admin, "城管局", city);
    departmentB = client.department(admin, "住建局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    replierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    replierB = Inbox.member(client, admin, List.of("replier"), List.of(departmentB));

    keptInA = to(departmentA);
    String transferred = to(departmentA);
    String returned = to(departmentA);
    to(departmentB);
    Inbox.acted(client, replierA.token(), transferred, "transfer",
      new JsonObject().put("departmentId", departmentB).put("reason", "属住建局职责"));
    Inbox.acted(client, replierA.token(), returned, "return", new JsonObject().put("reason", "不属本部门"));
  }

  @AfterAll
  static void stop() {
    if (instance != null) {
      instance.close();
    }
  }

  static String to(String department) {
    JsonObject c = Inbox.enter(client, dispatcher.token());
    Inbox.acted(client, dispatcher.token(), c.getString("id"), "assign", new JsonObject().put("departmentId", department));
    return c.getString("id");
  }

  static JsonObject stats(String token, String query) {
    Client.Response response = client.get("/api/v1/cases/stats?from=2026-03-01&to=2026-03-31" + query, token);
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  @Test
  @DisplayName("each department counts what entered it and what it let go; the office counts every case once")
  void figures() {
    JsonObject a = stats(admin, "&departmentId=" + departmentA);
    assertEquals(3, a.getLong("received"));
    assertEquals(1, a.getLong("transfers"));
    assertEquals(1, a.getLong("returns"));
    assertEquals(0, a.getLong("answered"));
    assertNull(a.getValue("onTimeRate"), "no answers: no rate");
    JsonObject b = stats(admin, "&departmentId=" + departmentB);
    assertEquals(2, b.getLong("received"), "one sent to it, one transferred in");
    assertEquals(0, b.getLong("transfers"));
    JsonObject office = stats(admin, "");
    assertEquals(4, office.getLong("received"));
    assertEquals(1, office.getLong("transfers"));
    assertEquals(1, office.getLong("returns"));
    JsonObject april = client.get("/api/v1/cases/stats?from=2026-04-01&to=2026-04-30", admin).json();
    assertEquals(0, april.getLong("received"), "another period counts nothing");
  }

  @Test
  @DisplayName("the overdue list names the open cases past their due day, with number, department and due time")
  void overdueList() {
    clock.advance(Duration.ofDays(20));
    JsonArray overdue = stats(replierA.token(), "&departmentId=" + departmentA).getJsonArray("overdue");
    assertEquals(1, overdue.size(), overdue::encode);
    JsonObject item = overdue.getJsonObject(0);
    assertEquals(keptInA, item.getString("id"));
    assertEquals(departmentA, item.getString("departmentId"));
    assertEquals(true, item.getString("number").startsWith("2026-"));
    assertEquals(true, item.getString("dueAt").endsWith("+08:00"));
    assertEquals(2, stats(replierB.token(), "").getJsonArray("overdue").size(), "B's two cases, nothing of A");
    assertEquals(4, stats(admin, "").getJsonArray("overdue").size(), "the returned one waits at dispatch, overdue too");
  }

  @Test
  @DisplayName("a replier sees only their departments' figures; another department is 404; bad parameters are 400")
  void scopeAndBadInput() {
    assertEquals(2, stats(replierB.token(), "").getLong("received"));
    assertEquals(404, client.get("/api/v1/cases/stats?departmentId=" + departmentA, replierB.token()).status());
    for (String query : List.of("from=2026-3-1", "to=yesterday", "from=2026-03-10&to=2026-03-01",
      "from=2025-01-01&to=2026-03-01", "departmentId=nope")) {
      Client.Response bad = client.get("/api/v1/cases/stats?" + query, admin);
      assertEquals(400, bad.status(), () -> query + ": " + bad);
      assertEquals("invalid-parameter", bad.problemCode());
    }
    String editor = client.staffToken(admin, List.of("editor"), List.of(), List.of());
    assertEquals(403, client.get("/api/v1/cases/stats", editor).status());
  }
}
