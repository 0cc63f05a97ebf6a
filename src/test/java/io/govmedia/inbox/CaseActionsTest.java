package io.govmedia.inbox;

import com.mongodb.client.model.Updates;
import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transition of the case table on an instance whose clock the test moves: dispatch, claim, transfer, return,
 * pause and resume (the deadline moves by the working days paused), close and reopen, and the 409 for every action
 * the table refuses.
 */
@DisplayName("Case actions")
class CaseActionsTest {

  static MovableClock clock;
  static Main.Running instance;
  static Client client;
  static String admin;
  static String departmentA;
  static String departmentB;
  static Inbox.Member dispatcher;
  /** A replier of department A who also dispatches: every action is theirs to try. */
  static Inbox.Member chief;
  static Inbox.Member replierA;
  static Inbox.Member otherReplierA;
  static Inbox.Member replierB;

  @BeforeAll
  static void start() {
    clock = new MovableClock();
    instance = TestServer.get().startAnother(Map.of(), clock);
    client = new Client(instance.port());
    admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    departmentA = client.department(admin, "城管局", city);
    departmentB = client.department(admin, "住建局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    chief = Inbox.member(client, admin, List.of("replier", "dispatcher"), List.of(departmentA));
    replierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    otherReplierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    replierB = Inbox.member(client, admin, List.of("replier"), List.of(departmentB));
    // A's cases wait to be claimed (签收); B keeps automatic assignment, the default
    Inbox.assignmentMode(client, admin, departmentA, "claim");
  }

  @AfterAll
  static void stop() {
    if (instance != null) {
      instance.close();
    }
  }

  static JsonObject reason(String why) {
    return new JsonObject().put("reason", why);
  }

  /** A case sent by the dispatcher to department A: assigned, nobody's yet (A's cases wait to be claimed). */
  static JsonObject inA() {
    JsonObject c = Inbox.enter(client, dispatcher.token());
    return Inbox.acted(client, dispatcher.token(), c.getString("id"), "assign",
      new JsonObject().put("departmentId", departmentA));
  }

  @Test
  @DisplayName("a phone case is numbered, waits for dispatch with its deadline, and its contact is shown masked only")
  void entered() {
    JsonObject c = Inbox.enter(client, dispatcher.token());
    assertTrue(c.getString("number").matches("20\\d\\d-\\d{6}"), c::encode);
    assertEquals("dispatching", c.getString("status"));
    assertEquals("complaint", c.getString("category"));
    assertNull(c.getString("departmentId"));
    assertTrue(c.getString("dueAt").endsWith("T23:59:59.999+08:00"), c::encode);
    LocalDate due = LocalDate.parse(c.getString("dueDate"));
    assertTrue(due.isAfter(LocalDate.parse(c.getString("createdAt").substring(0, 10)).plusDays(6)), c::encode);
    assertEquals(new JsonObject().put("name", "张**").put("phone", "138****5678"), c.getJsonObject("contact"));
    assertFalse(c.encode().contains("13812345678"));
    assertEquals("received", c.getJsonArray("history").getJsonObject(0).getString("action"));

    Client.Response list = client.get("/api/v1/cases?status=dispatching&limit=200", dispatcher.token());
    assertFalse(list.text().contains("contact"), "lists carry no contact details");
    Object stored = StoreAccess.first(StoreAccess.collection("cases").find(eq("_id", c.getString("id")))).get("contact");
    assertFalse(String.valueOf(stored).contains("1381234"), "contact sealed at rest");
  }

  @Test
  @DisplayName("dispatch → assigned, claim → in progress with the claimer as assignee, both in the history")
  void dispatchAndClaim() {
    JsonObject c = inA();
    assertEquals("assigned", c.getString("status"));
    assertEquals(departmentA, c.getString("departmentId"));
    JsonObject claimed = Inbox.acted(client, replierA.token(), c.getString("id"), "claim", new JsonObject());
    assertEquals("in_progress", claimed.getString("status"));
    assertEquals(replierA.id(), claimed.getString("assigneeId"));
    JsonObject last = last(claimed);
    assertEquals("claim", last.getString("action"));
    assertEquals(replierA.id(), last.getString("by"));
    assertEquals("assigned", last.getString("from"));
    assertEquals("in_progress", last.getString("to"));

    Client.Response again = Inbox.act(client, otherReplierA.token(), c.getString("id"), "claim", new JsonObject());
    assertEquals(409, again.status(), again::toString);
    assertEquals("action-not-allowed", again.problemCode());
  }

  @Test
  @DisplayName("two repliers claiming at the same moment: one gets the case, the other a 409, and the history has one claim")
  void claimRace() throws Exception {
    for (int round = 0; round < 5; round++) {
      String id = inA().getString("id");
      var first = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        Inbox.act(client, replierA.token(), id, "claim", new JsonObject()));
      var second = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        Inbox.act(client, otherReplierA.token(), id, "claim", new JsonObject()));
      List<Integer> statuses = java.util.stream.Stream.of(first.get(), second.get()).map(Client.Response::status)
        .sorted().toList();
      assertEquals(List.of(200, 409), statuses);
      JsonObject c = Inbox.read(client, admin, id);
      assertEquals(1, c.getJsonArray("history").stream().filter(s -> "claim".equals(((JsonObject) s).getString("action")))
        .count(), c::encode);
    }
  }

  @Test
  @DisplayName("within a department a dispatcher names the person; someone outside the department is refused")
  void assignPerson() {
    JsonObject c = inA();
    JsonObject assigned = Inbox.acted(client, dispatcher.token(), c.getString("id"), "assign",
      new JsonObject().put("assigneeId", otherReplierA.id()));
    assertEquals(otherReplierA.id(), assigned.getString("assigneeId"));
    assertEquals("assigned", assigned.getString("status"));
    Client.Response outsider = Inbox.act(client, dispatcher.token(), c.getString("id"), "assign",
      new JsonObject().put("assigneeId", replierB.id()));
    assertEquals(400, outsider.status(), outsider::toString);
    assertEquals("invalid-assignee", outsider.problemCode());
    Client.Response again = Inbox.act(client, dispatcher.token(), c.getString("id"), "assign",
      new JsonObject().put("departmentId", departmentB));
    assertEquals(409, again.status(), "a case in a department is transferred, not dispatched again: " + again);
  }

  @Test
  @DisplayName("a transfer needs a reason and keeps the count and each department's part; the new department's on-duty replier gets it, a claim department lets it wait")
  void transfer() {
    JsonObject c = inA();
    String id = c.getString("id");
    Inbox.acted(client, replierA.token(), id, "claim", new JsonObject());
    Client.Response noReason = Inbox.act(client, replierA.token(), id, "transfer",
      new JsonObject().put("departmentId", departmentB));
    assertEquals(400, noReason.status(), noReason::toString);
    JsonObject moved = Inbox.acted(client, replierA.token(), id, "transfer",
      new JsonObject().put("departmentId", departmentB).put("reason", "属住建局职责"));
    assertEquals("assigned", moved.getString("status"));
    assertEquals(departmentB, moved.getString("departmentId"));
    assertEquals(replierB.id(), moved.getString("assigneeId"), "B assigns automatically: its one replier on duty");
    assertEquals(1, moved.getInteger("transfers"));
    assertEquals(2, moved.getJsonArray("parts").size());
    assertEquals(departmentA, moved.getJsonArray("parts").getJsonObject(0).getString("departmentId"));
    assertNotNull(moved.getJsonArray("parts").getJsonObject(0).getString("to"));
    assertNull(moved.getJsonArray("parts").getJsonObject(1).getString("to"));
    assertEquals("属住建局职责", last(moved).getString("reason"));

    assertEquals(404, client.get("/api/v1/cases/" + id, replierA.token()).status(), "department A no longer sees it");
    assertEquals(200, client.get("/api/v1/cases/" + id, replierB.token()).status());
    assertEquals(List.of(id), Inbox.ids(client, replierB.token(), "assigneeId=" + replierB.id()).stream()
      .filter(id::equals).toList(), "in the new assignee's own list");

    JsonObject back = Inbox.acted(client, replierB.token(), id, "transfer",
      new JsonObject().put("departmentId", departmentA).put("reason", "仍属城管局职责"));
    assertEquals("assigned", back.getString("status"));
    assertEquals(departmentA, back.getString("departmentId"));
    assertNull(back.getString("assigneeId"), "A's cases wait to be claimed");
    assertEquals(2, back.getInteger("transfers"));
    assertEquals(replierA.id(), Inbox.acted(client, replierA.token(), id, "claim", new JsonObject())
      .getString("assigneeId"));
  }

  @Test
  @DisplayName("a return goes back to dispatch showing who returned it, from which department, and why")
  void returned() {
    JsonObject c = inA();
    String id = c.getString("id");
    Client.Response noReason = Inbox.act(client, replierA.token(), id, "return", new JsonObject());
    assertEquals(400, noReason.status(), noReason::toString);
    JsonObject back = Inbox.acted(client, replierA.token(), id, "return", reason("不属本部门职责"));
    assertEquals("dispatching", back.getString("status"));
    assertNull(back.getString("departmentId"));
    assertEquals(1, back.getInteger("returns"));
    JsonObject lastReturn = back.getJsonObject("lastReturn");
    assertEquals(replierA.id(), lastReturn.getString("by"));
    assertEquals(departmentA, lastReturn.getString("departmentId"));
    assertEquals("不属本部门职责", lastReturn.getString("reason"));
    assertTrue(Inbox.ids(client, dispatcher.token(), "status=dispatching").contains(id), "back in the queue");
    assertFalse(Inbox.ids(client, replierA.token(), "").contains(id), "gone from department A's list");
  }

  @Test
  @DisplayName("pause stops the clock; resume after a week moves the due day by the working days paused")
  void pauseAndResume() {
    JsonObject c = inA();
    String id = c.getString("id");
    Inbox.acted(client, replierA.token(), id, "claim", new JsonObject());
    JsonObject paused = Inbox.acted(client, replierA.token(), id, "pause", reason("等待第三方意见"));
    assertEquals("paused", paused.getString("status"));
    assertFalse(paused.getBoolean("overdue"));
    LocalDate dueBefore = LocalDate.parse(paused.getString("dueDate"));
    Client.Response claim = Inbox.act(client, replierA.token(), id, "claim", new JsonObject());
    assertEquals(409, claim.status(), claim::toString);

    clock.advance(Duration.ofDays(7));
    JsonObject resumed = Inbox.acted(client, replierA.token(), id, "resume", new JsonObject());
    assertEquals("in_progress", resumed.getString("status"), "back to where it was before the pause");
    int pausedDays = resumed.getJsonObject("deadline").getInteger("pausedDays");
    assertTrue(pausedDays >= 1 && pausedDays <= 7, resumed::encode);
    assertTrue(LocalDate.parse(resumed.getString("dueDate")).isAfter(dueBefore), resumed::encode);
  }

  @Test
  @DisplayName("staff close an open case only with a reason; reopening needs one too and restarts the deadline")
  void closeAndReopen() {
    JsonObject c = inA();
    String id = c.getString("id");
    Client.Response noReason = Inbox.act(client, replierA.token(), id, "close", new JsonObject());
    assertEquals(400, noReason.status(), noReason::toString);
    assertEquals("reason-required", noReason.problemCode());
    JsonObject closed = Inbox.acted(client, replierA.token(), id, "close", reason("重复来电，已并案"));
    assertEquals("closed", closed.getString("status"));
    assertTrue(Inbox.ids(client, replierA.token(), "status=closed").contains(id));
    assertFalse(Inbox.ids(client, replierA.token(), "").contains(id), "no longer among the open cases");

    Client.Response byReplier = Inbox.act(client, replierA.token(), id, "reopen", reason("群众再次来电"));
    assertEquals(403, byReplier.status(), byReplier::toString);
    clock.advance(Duration.ofDays(3));
    JsonObject reopened = Inbox.acted(client, dispatcher.token(), id, "reopen", reason("群众再次来电"));
    assertEquals("assigned", reopened.getString("status"));
    assertEquals(departmentA, reopened.getString("departmentId"));
    assertTrue(LocalDate.parse(reopened.getString("dueDate")).isAfter(LocalDate.parse(closed.getString("dueDate"))));
  }

  @Test
  @DisplayName("an answered case closes without a reason (the replies part answers it; here the store is set as it would)")
  void closeAnswered() {
    JsonObject c = inA();
    String id = c.getString("id");
    StoreAccess.first(StoreAccess.collection("cases").updateOne(eq("_id", id), Updates.set("status", "answered")));
    JsonObject closed = Inbox.acted(client, replierA.token(), id, "close", new JsonObject());
    assertEquals("closed", closed.getString("status"));
    assertEquals("answered", last(closed).getString("from"));
  }

  @Test
  @DisplayName("every action the table does not allow from a status is a 409 action-not-allowed naming the status")
  void refusedByTheTable() {
    Map<String, JsonObject> bodies = Map.of("claim", new JsonObject(), "assign",
      new JsonObject().put("assigneeId", replierA.id()), "transfer",
      new JsonObject().put("departmentId", departmentB).put("reason", "r"), "return", reason("r"), "pause", reason("r"),
      "resume", new JsonObject(), "close", reason("r"), "reopen", reason("r"));
    bodies = new java.util.HashMap<>(bodies);
    bodies.put("reply", new JsonObject().put("text", "答复"));
    bodies.put("rate", new JsonObject().put("value", "satisfied"));
    bodies.put("follow-up", new JsonObject().put("how", "phone").put("note", "回访"));
    bodies.put("publish", new JsonObject());
    bodies.put("release", new JsonObject());
    for (CaseStatus status : EnumSet.allOf(CaseStatus.class)) {
      JsonObject c = inA();
      String id = c.getString("id");
      StoreAccess.first(StoreAccess.collection("cases").updateOne(eq("_id", id), Updates.set("status", status.wire())));
      for (CaseAction action : CaseAction.values()) {
        boolean allowed = action.allowedFrom(status)
          && !(action == CaseAction.ASSIGN && status == CaseStatus.DISPATCHING);
        if (allowed) {
          continue;
        }
        String path = action == CaseAction.RATE ? "rating" : action.wire();
        Client.Response refused = Inbox.act(client, chief.token(), id, path, bodies.get(action.wire()));
        assertEquals(409, refused.status(), () -> action + " from " + status + ": " + refused);
        assertEquals("action-not-allowed", refused.problemCode());
        assertEquals(status.wire(), refused.json().getString("status"));
      }
    }
  }

  static JsonObject last(JsonObject c) {
    var history = c.getJsonArray("history");
    return history.getJsonObject(history.size() - 1);
  }
}
