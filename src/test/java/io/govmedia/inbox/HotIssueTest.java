package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Duplicates and hot issues: other citizens' similar cases suggested (by the search index's bigrams), links forming,
 * growing and merging clusters, the 舆情 clock (48 h; 5 h / 24 h once flagged a major emergency), the announcement at
 * the configured size (5) once, and scope denials.
 */
@DisplayName("Hot issues")
class HotIssueTest {

  static Client client;
  static String admin;
  static String departmentA;
  static Inbox.Member dispatcher;
  static Inbox.Member replierA;
  static Inbox.Member replierB;
  static Inbox.Member supervisor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    departmentA = client.department(admin, "住建局", city);
    String departmentB = client.department(admin, "教育局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    replierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    replierB = Inbox.member(client, admin, List.of("replier"), List.of(departmentB));
    supervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(city));
  }

  /** A case in department A with this title and text. */
  static String inA(String title, String content) {
    Client.Response created = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase(content).put("title", title));
    assertEquals(201, created.status(), created::toString);
    String id = created.json().getString("id");
    Inbox.acted(client, dispatcher.token(), id, "assign", new JsonObject().put("departmentId", departmentA));
    return id;
  }

  static String lift(String tag) {
    return inA("老旧小区加装电梯补贴" + tag, "请问我们老旧小区加装电梯的补贴怎么申请，需要哪些材料，多久能批下来？" + tag);
  }

  static Client.Response link(Inbox.Member who, String id, String other) {
    return Inbox.act(client, who.token(), id, "link", new JsonObject().put("caseId", other));
  }

  @Test
  @DisplayName("a case's suggestions are other citizens' cases alike, most alike first, never itself or an unrelated one")
  void similar() {
    String tag = Client.unique();
    String first = lift(tag);
    String second = lift(tag + "x");
    String unrelated = inA("学校食堂卫生" + tag, "孩子学校食堂的饭菜不卫生，希望有关部门检查。");
    Client.Response response = client.get("/api/v1/cases/" + first + "/similar", replierA.token());
    assertEquals(200, response.status(), response::toString);
    List<String> ids = response.items().stream().map(i -> ((JsonObject) i).getString("id")).toList();
    assertTrue(ids.contains(second), response::toString);
    assertFalse(ids.contains(first));
    assertFalse(ids.contains(unrelated));
    JsonObject top = response.items().getJsonObject(ids.indexOf(second));
    assertTrue(top.getDouble("similarity") > 0.5, top::encode);
    assertEquals(404, client.get("/api/v1/cases/" + first + "/similar", replierB.token()).status());
  }

  @Test
  @DisplayName("links form a cluster, grow it, merge two; at five cases supervisors are told once; the 48-hour clock turns 5 h / 24 h when flagged major")
  void clusters() {
    String tag = Client.unique();
    List<String> cases = List.of(lift(tag + 1), lift(tag + 2), lift(tag + 3), lift(tag + 4), lift(tag + 5));
    try (EventStreamClient overseer = EventStreamClient.open(client, supervisor.token())) {
      Client.Response first = link(replierA, cases.get(0), cases.get(1));
      assertEquals(200, first.status(), first::toString);
      JsonObject issue = first.json();
      String id = issue.getString("id");
      assertEquals(2, issue.getInteger("size"));
      OffsetDateTime since = OffsetDateTime.parse(issue.getString("since"));
      assertEquals(since.plusHours(48), OffsetDateTime.parse(issue.getJsonObject("clock").getString("answerBy")));
      assertFalse(issue.getJsonObject("clock").getBoolean("late"));
      assertEquals(200, link(replierA, cases.get(0), cases.get(1)).status(), "linking again changes nothing");
      assertEquals(2, client.get("/api/v1/hot-issues/" + id, replierA.token()).json().getInteger("size"));

      String other = link(replierA, cases.get(2), cases.get(3)).json().getString("id");
      JsonObject merged = link(replierA, cases.get(1), cases.get(2)).json();
      assertEquals(4, merged.getInteger("size"));
      assertTrue(List.of(id, other).contains(merged.getString("id")));
      assertFalse(merged.getBoolean("announced"));

      JsonObject five = link(dispatcher, cases.get(4), cases.get(0)).json();
      assertEquals(5, five.getInteger("size"));
      assertTrue(five.getBoolean("announced"));
      EventStreamClient.Received told = overseer.next(e -> e.is("hot-issue.reached"), Duration.ofSeconds(10));
      assertTrue(told.data().contains(five.getString("id")), told::toString);

      JsonArray listed = client.get("/api/v1/hot-issues", replierA.token()).items();
      assertTrue(listed.stream().anyMatch(i -> five.getString("id").equals(((JsonObject) i).getString("id"))));
      JsonObject major = client.raw("PUT", "/api/v1/hot-issues/" + five.getString("id"), supervisor.token(),
        "application/json", new JsonObject().put("major", true).encode().getBytes()).json();
      assertTrue(major.getBoolean("major"));
      OffsetDateTime from = OffsetDateTime.parse(major.getString("since"));
      assertEquals(from.plusHours(5), OffsetDateTime.parse(major.getJsonObject("clock").getString("informBy")));
      assertEquals(from.plusHours(24), OffsetDateTime.parse(major.getJsonObject("clock").getString("pressConferenceBy")));
      assertNull(major.getJsonObject("clock").getString("answerBy"));

      JsonObject linkedCase = Inbox.read(client, replierA.token(), cases.get(4));
      assertNotNull(DeadlineSweepTest.last(linkedCase, "linked").getString("reason"));
    }
  }

  @Test
  @DisplayName("linking needs both cases in scope and another case; the list and the flag keep to scope and role")
  void scope() {
    String tag = Client.unique();
    String a = lift(tag + "a");
    String b = lift(tag + "b");
    assertEquals(404, link(replierB, a, b).status(), "cases of another department do not exist for them");
    assertEquals(400, link(replierA, a, a).status());
    assertEquals(400, link(replierA, a, "nope").status());
    assertEquals(400, Inbox.act(client, replierA.token(), a, "link", new JsonObject()).status());
    assertEquals(404, link(replierA, a, "0123456789abcdef01234567").status());
    String issue = link(replierA, a, b).json().getString("id");
    assertTrue(client.get("/api/v1/hot-issues", replierB.token()).items().stream()
      .noneMatch(i -> issue.equals(((JsonObject) i).getString("id"))));
    assertEquals(404, client.get("/api/v1/hot-issues/" + issue, replierB.token()).status());
    assertEquals(403, client.raw("PUT", "/api/v1/hot-issues/" + issue, replierA.token(), "application/json",
      new JsonObject().put("major", true).encode().getBytes()).status());
    assertEquals(400, client.raw("PUT", "/api/v1/hot-issues/" + issue, supervisor.token(), "application/json",
      new JsonObject().put("major", "yes").encode().getBytes()).status());
  }
}
