package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extensions: asked by the case's staff with a reason, approved or refused by a department head or a supervisor only;
 * the new due date from the working-day calendar and the citizen told it; an information request extended once by
 * at most 20 working days, any other case to 15 working days in all; and the information request's clock stopped
 * while it waits for a third party.
 */
@DisplayName("Extensions")
class ExtensionTest {

  static MovableClock clock;
  static Main.Running instance;
  static Client client;
  static String admin;
  static String department;
  static String otherDepartment;
  static Inbox.Member dispatcher;
  static Inbox.Member replier;
  static Inbox.Member colleague;
  static Inbox.Member stranger;
  static Inbox.Member supervisor;
  static Inbox.Member head;
  static Inbox.Member otherHead;

  @BeforeAll
  static void start() {
    clock = new MovableClock();
    clock.advance(Duration.between(clock.instant(), OffsetDateTime.parse("2026-03-02T10:00:00+08:00").toInstant()));
    instance = OwnStores.start(2, clock, Map.of());
    client = new Client(instance.port());
    admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    department = client.department(admin, "住建局", city);
    otherDepartment = client.department(admin, "教育局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    replier = Inbox.member(client, admin, List.of("replier"), List.of(department));
    colleague = Inbox.member(client, admin, List.of("replier"), List.of(department));
    stranger = Inbox.member(client, admin, List.of("replier"), List.of(otherDepartment));
    supervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(city));
    head = Inbox.head(client, admin, List.of("replier"), List.of(department), List.of(department));
    otherHead = Inbox.head(client, admin, List.of("replier"), List.of(department, otherDepartment),
      List.of(otherDepartment));
  }

  @AfterAll
  static void stop() {
    if (instance != null) {
      instance.close();
    }
  }

  static JsonObject claimed(String category) {
    JsonObject c = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("物业维修基金 " + Client.unique())
      .put("category", category)).json();
    Inbox.acted(client, dispatcher.token(), c.getString("id"), "assign", new JsonObject().put("departmentId", department));
    return Inbox.acted(client, replier.token(), c.getString("id"), "claim", new JsonObject());
  }

  static JsonObject ask(int days) {
    return new JsonObject().put("days", days).put("reason", "需要现场核查");
  }

  static Client.Response extend(Inbox.Member who, String id, JsonObject body) {
    return Inbox.act(client, who.token(), id, "extend", body);
  }

  static Client.Response decide(Inbox.Member who, String id, boolean approved) {
    return Inbox.act(client, who.token(), id, "approve-extension", new JsonObject().put("approved", approved)
      .put("note", "同意"));
  }

  static String workdaysAdd(String from, int days) {
    return client.get("/api/v1/workdays/add?from=" + from + "&days=" + days, admin).json().getString("date");
  }

  static List<String> actions(JsonObject c) {
    return c.getJsonArray("history").stream().map(s -> ((JsonObject) s).getString("action")).toList();
  }

  @Test
  @DisplayName("the assignee asks, neither a replier nor a dispatcher may approve, a supervisor does: the due date moves and the citizen is told")
  void approvedBySupervisorOnly() {
    JsonObject c = claimed("complaint");
    String id = c.getString("id");
    Client.Response asked = extend(replier, id, ask(5));
    assertEquals(200, asked.status(), asked::toString);
    assertEquals("pending", asked.json().getJsonObject("extension").getString("status"));
    assertEquals(409, extend(colleague, id, ask(3)).status(), "one pending request at a time");
    assertEquals("extension-pending", extend(colleague, id, ask(3)).problemCode());

    assertEquals(403, decide(colleague, id, true).status());
    assertEquals(403, decide(dispatcher, id, true).status());
    assertEquals(404, decide(stranger, id, true).status(), "outside their scope the case does not exist");

    Client.Response approved = decide(supervisor, id, true);
    assertEquals(200, approved.status(), approved::toString);
    JsonObject after = approved.json();
    String receivedOn = after.getJsonObject("deadline").getString("receivedOn");
    assertEquals(workdaysAdd(receivedOn, 12), after.getString("dueDate"), "7 working days and 5 more");
    assertEquals(12, after.getJsonObject("deadline").getInteger("limitDays"));
    assertTrue(actions(after).containsAll(List.of("extension_requested", "extension_approved", "extension_notice")),
      after::encode);
    JsonObject notice = DeadlineSweepTest.last(after, "extension_notice");
    assertTrue(notice.getString("reason").contains(after.getString("number")), notice::encode);
    String[] date = after.getString("dueDate").split("-");
    assertTrue(notice.getString("reason").contains(Integer.parseInt(date[1]) + "月" + Integer.parseInt(date[2]) + "日"),
      notice::encode);
    assertEquals(409, decide(supervisor, id, true).status(), "nothing pending any more");
  }

  @Test
  @DisplayName("a head of the case's department approves; a colleague heading another department may not, nor may the head approve their own request")
  void approvedByHead() {
    String id = claimed("help").getString("id");
    assertEquals(200, extend(replier, id, ask(3)).status());
    Client.Response foreign = decide(otherHead, id, true);
    assertEquals(403, foreign.status(), foreign::toString);
    Client.Response approved = decide(head, id, true);
    assertEquals(200, approved.status(), approved::toString);
    JsonObject step = DeadlineSweepTest.last(approved.json(), "extension_approved");
    assertEquals(head.id(), step.getString("by"));

    String own = claimed("help").getString("id");
    assertEquals(200, extend(head, own, ask(2)).status());
    assertEquals(403, decide(head, own, true).status());
    assertEquals(200, decide(supervisor, own, true).status());
  }

  @Test
  @DisplayName("a refused extension leaves the due date, and a new request may follow")
  void refused() {
    JsonObject c = claimed("suggestion");
    String id = c.getString("id");
    assertEquals(200, extend(replier, id, ask(2)).status());
    JsonObject refused = decide(supervisor, id, false).json();
    assertEquals(c.getString("dueDate"), refused.getString("dueDate"));
    assertTrue(actions(refused).contains("extension_refused"));
    assertEquals(200, extend(replier, id, ask(2)).status());
  }

  @Test
  @DisplayName("an information request is extended once by at most 20 working days; a second request is refused 409")
  void disclosureOnce() {
    JsonObject c = claimed("disclosure_request");
    String id = c.getString("id");
    assertEquals(400, extend(replier, id, ask(21)).status());
    assertEquals(200, extend(replier, id, ask(20)).status());
    JsonObject after = decide(supervisor, id, true).json();
    assertEquals(40, after.getJsonObject("deadline").getInteger("limitDays"));
    Client.Response second = extend(replier, id, ask(1));
    assertEquals(409, second.status(), second::toString);
    assertEquals("extension-used", second.problemCode());
  }

  @Test
  @DisplayName("a complaint reaches at most 15 working days in all")
  void complexAtMost15() {
    String id = claimed("complaint").getString("id");
    Client.Response tooLong = extend(replier, id, ask(9));
    assertEquals(409, tooLong.status(), tooLong::toString);
    assertEquals("extension-too-long", tooLong.problemCode());
    assertEquals(8, tooLong.json().getInteger("maxDays"));
    assertEquals(200, extend(replier, id, ask(8)).status());
  }

  @Test
  @DisplayName("asking needs the case's staff, a reason and 1–20 days; a closed case cannot be extended")
  void badRequests() {
    String id = claimed("complaint").getString("id");
    assertEquals(400, extend(replier, id, new JsonObject().put("days", 3)).status());
    assertEquals(400, extend(replier, id, new JsonObject().put("days", "3").put("reason", "r")).status());
    assertEquals(400, extend(replier, id, ask(0)).status());
    assertEquals("no-pending-extension", decide(supervisor, id, true).problemCode());
    assertEquals(400, Inbox.act(client, supervisor.token(), id, "approve-extension", new JsonObject()).status());
    assertEquals(404, extend(stranger, id, ask(3)).status());
    assertEquals(403, extend(dispatcher, id, ask(3)).status());
    assertEquals(404, extend(replier, "0123456789abcdef01234567", ask(3)).status());
    assertEquals(404, extend(replier, "nope", ask(3)).status());
    Inbox.acted(client, replier.token(), id, "close", new JsonObject().put("reason", "市民撤回"));
    Client.Response refused = extend(replier, id, ask(3));
    assertEquals(409, refused.status(), refused::toString);
  }

  @Test
  @DisplayName("an information request paused for a third party: the paused working days do not count")
  void disclosurePause() {
    clock.advance(Duration.between(clock.instant(), OffsetDateTime.parse("2026-03-02T10:00:00+08:00").toInstant()));
    JsonObject c = claimed("disclosure_request");
    String id = c.getString("id");
    assertEquals(workdaysAdd("2026-03-02", 20), c.getString("dueDate"));
    clock.advance(Duration.ofDays(2));  // Wednesday 03-04
    Inbox.acted(client, replier.token(), id, "pause", new JsonObject().put("reason", "征求第三方意见（条例第三十二条）"));
    clock.advance(Duration.ofDays(7));  // Wednesday 03-11: 5 working days paused
    JsonObject resumed = Inbox.acted(client, replier.token(), id, "resume", new JsonObject());
    assertEquals(5, resumed.getJsonObject("deadline").getInteger("pausedDays"));
    assertEquals(workdaysAdd("2026-03-02", 25), resumed.getString("dueDate"));
  }
}
