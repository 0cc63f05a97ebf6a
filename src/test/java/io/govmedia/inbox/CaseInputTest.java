package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Case numbers across instances, and bad input on every case route: a 4xx problem, never a 5xx. */
@DisplayName("Case numbers and bad input")
class CaseInputTest {

  static Client client;
  static String admin;
  static String department;
  static Inbox.Member dispatcher;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "应急局", null);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher", "replier"), List.of(department));
  }

  @Test
  @DisplayName("two instances entering cases at once never hand out the same number")
  void numbersAcrossInstances() throws Exception {
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client second = new Client(other.port());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<CompletableFuture<String>> numbers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          Client target = i % 2 == 0 ? client : second;
          numbers.add(CompletableFuture.supplyAsync(() -> Inbox.enter(target, dispatcher.token()).getString("number"),
            pool));
        }
        Set<String> distinct = new HashSet<>();
        for (CompletableFuture<String> number : numbers) {
          String n = number.get();
          assertTrue(n.matches("20\\d\\d-\\d{6}"), n);
          assertTrue(distinct.add(n), "number handed out twice: " + n);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  @DisplayName("a staff case with missing or wrong fields is a 400 naming them; an unknown contact field too")
  void badCase() {
    Client.Response empty = client.post("/api/v1/cases", dispatcher.token(), new JsonObject());
    assertEquals(400, empty.status(), empty::toString);
    assertEquals("invalid-body", empty.problemCode());
    Set<String> fields = new HashSet<>();
    empty.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    assertEquals(Set.of("channel", "category", "title", "content"), fields);

    Client.Response wechat = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("x").put("channel", "wechat"));
    assertEquals(400, wechat.status(), "staff do not enter WeChat cases: " + wechat);
    Client.Response contact = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("x")
      .put("contact", new JsonObject().put("wechatId", "abc")));
    assertEquals(400, contact.status(), contact::toString);
    Client.Response urgency = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("x").put("urgency", 3));
    assertEquals(400, urgency.status(), urgency::toString);
    Client.Response editor = client.post("/api/v1/cases", client.staffToken(admin, List.of("editor"), List.of(),
      List.of()), Inbox.phoneCase("x"));
    assertEquals(403, editor.status(), editor::toString);
  }

  @Test
  @DisplayName("list parameters are checked: status, ids, overdue, flag, category and cursor; bad ones are 400")
  void badListParameters() {
    for (String query : List.of("status=open", "departmentId=xyz", "assigneeId=1", "overdue=yes", "flag=DROP%20TABLE",
      "category=Complaint", "category=other", "cursor=abc", "limit=0", "limit=201")) {
      Client.Response answer = client.get("/api/v1/cases?" + query, dispatcher.token());
      assertEquals(400, answer.status(), () -> query + ": " + answer);
      assertNotNull(answer.problemCode());
    }
  }

  @Test
  @DisplayName("the list filters by category across pages: only the complaints of a department, the queue's consultations")
  void listByCategory() {
    String ward = client.department(admin, "街道办", null);
    List<String> complaints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = Inbox.enter(client, dispatcher.token()).getString("id");
      Inbox.acted(client, admin, id, "assign", new JsonObject().put("departmentId", ward));
      complaints.add(id);
    }
    Client.Response asked = client.post("/api/v1/cases", dispatcher.token(),
      Inbox.phoneCase("垃圾分类怎么投放 " + Client.unique()).put("category", "consultation"));
    assertEquals(201, asked.status(), asked::toString);
    String consultation = asked.json().getString("id");
    Inbox.acted(client, admin, consultation, "assign", new JsonObject().put("departmentId", ward));
    Client.Response queued = client.post("/api/v1/cases", dispatcher.token(),
      Inbox.phoneCase("图书馆开放时间 " + Client.unique()).put("category", "consultation"));
    assertEquals(201, queued.status(), queued::toString);
    String waiting = queued.json().getString("id");

    List<String> paged = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 10 && cursor != null; page++) {
      Client.Response answer = client.get("/api/v1/cases?limit=1&category=complaint&departmentId=" + ward
        + "&cursor=" + cursor, admin);
      assertEquals(200, answer.status(), answer::toString);
      answer.items().forEach(item -> paged.add(((JsonObject) item).getString("id")));
      cursor = answer.json().getString("next");
    }
    assertEquals(Set.copyOf(complaints), Set.copyOf(paged));
    assertEquals(3, paged.size(), paged::toString);
    assertEquals(List.of(consultation), Inbox.ids(client, admin, "category=consultation&departmentId=" + ward));

    List<String> listed = new ArrayList<>();
    cursor = "";
    for (int page = 0; page < 100 && cursor != null; page++) {
      Client.Response answer = client.get("/api/v1/cases?limit=200&status=dispatching&category=consultation&cursor="
        + cursor, dispatcher.token());
      assertEquals(200, answer.status(), answer::toString);
      answer.items().forEach(item -> {
        assertEquals("consultation", ((JsonObject) item).getString("category"), item::toString);
        listed.add(((JsonObject) item).getString("id"));
      });
      cursor = answer.json().getString("next");
    }
    assertTrue(listed.contains(waiting), listed::toString);
  }

  @Test
  @DisplayName("actions: unknown or malformed ids are 404, a wrong body 400, an unknown department 400, an action not in the table 409")
  void badActions() {
    String id = Inbox.enter(client, dispatcher.token()).getString("id");
    assertEquals(404, Inbox.act(client, dispatcher.token(), "0".repeat(24), "claim", new JsonObject()).status());
    assertEquals(404, Inbox.act(client, dispatcher.token(), "not-an-id", "claim", new JsonObject()).status());
    assertEquals(404, client.get("/api/v1/cases/not-an-id", dispatcher.token()).status());
    assertEquals(400, Inbox.act(client, dispatcher.token(), id, "reply", new JsonObject()).status(),
      "a reply needs its text");

    Client.Response both = Inbox.act(client, dispatcher.token(), id, "assign",
      new JsonObject().put("departmentId", department).put("assigneeId", dispatcher.id()));
    assertEquals(400, both.status(), both::toString);
    Client.Response neither = Inbox.act(client, dispatcher.token(), id, "assign", new JsonObject());
    assertEquals(400, neither.status(), neither::toString);
    Client.Response unknown = Inbox.act(client, dispatcher.token(), id, "assign",
      new JsonObject().put("departmentId", "0".repeat(24)));
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown-department", unknown.problemCode());
    Client.Response longReason = Inbox.act(client, dispatcher.token(), id, "close",
      new JsonObject().put("reason", "长".repeat(501)));
    assertEquals(400, longReason.status(), longReason::toString);
    Client.Response notJson = client.raw("POST", "/api/v1/cases/" + id + "/close", dispatcher.token(),
      "application/json", "{\"reason\":".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, notJson.status(), notJson::toString);
    Client.Response wrongType = client.raw("POST", "/api/v1/cases/" + id + "/close", dispatcher.token(),
      "text/plain", "reason".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, wrongType.status(), wrongType::toString);

    Client.Response claim = Inbox.act(client, dispatcher.token(), id, "claim", new JsonObject());
    assertEquals(403, claim.status(), "a case at dispatch belongs to no department to claim in: " + claim);
    Client.Response resume = Inbox.act(client, dispatcher.token(), id, "resume", new JsonObject());
    assertEquals(409, resume.status(), resume::toString);
    assertEquals("action-not-allowed", resume.problemCode());
    assertEquals("dispatching", StoreAccess.first(StoreAccess.collection("cases").find(eq("_id", id))).getString("status"));
  }
}
