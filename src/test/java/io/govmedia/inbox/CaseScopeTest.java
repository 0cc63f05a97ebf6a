package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who sees which cases: repliers their own departments', dispatchers and supervisors theirs and every one below (and
 * the dispatchers' queue), admins all. Outside one's scope a case does not exist: lists leave it out, a read and an
 * action are 404. The live inbox tells the department, the assignee and the dispatchers.
 */
@DisplayName("Case scope and live inbox")
class CaseScopeTest {

  static Client client;
  static String admin;
  static String city;
  static String parks;
  static String roads;
  static String roadsNorth;
  static Inbox.Member dispatcher;
  static Inbox.Member parksReplier;
  static Inbox.Member roadsReplier;
  static Inbox.Member roadsSupervisor;
  static Inbox.Member editor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    city = client.department(admin, "市政府", null);
    parks = client.department(admin, "园林局", city);
    roads = client.department(admin, "交通局", city);
    roadsNorth = client.department(admin, "交通局北区", roads);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    parksReplier = Inbox.member(client, admin, List.of("replier"), List.of(parks));
    roadsReplier = Inbox.member(client, admin, List.of("replier"), List.of(roads));
    roadsSupervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(roads));
    editor = Inbox.member(client, admin, List.of("editor"), List.of(parks));
  }

  static String caseIn(String department) {
    String id = Inbox.enter(client, dispatcher.token()).getString("id");
    Inbox.acted(client, dispatcher.token(), id, "assign", new JsonObject().put("departmentId", department));
    return id;
  }

  @Test
  @DisplayName("a replier lists only their department's cases; another department's case is a 404 to read and to act on")
  void repliersSeeTheirDepartment() {
    String inParks = caseIn(parks);
    String inRoads = caseIn(roads);
    List<String> parksList = Inbox.ids(client, parksReplier.token(), "");
    assertTrue(parksList.contains(inParks));
    assertFalse(parksList.contains(inRoads));
    assertFalse(Inbox.ids(client, parksReplier.token(), "departmentId=" + roads).contains(inRoads),
      "naming another department does not widen the scope");

    Client.Response read = client.get("/api/v1/cases/" + inRoads, parksReplier.token());
    assertEquals(404, read.status(), read::toString);
    assertEquals("not-found", read.problemCode());
    Client.Response claim = Inbox.act(client, parksReplier.token(), inRoads, "claim", new JsonObject());
    assertEquals(404, claim.status(), claim::toString);
    Client.Response transfer = Inbox.act(client, parksReplier.token(), inRoads, "transfer",
      new JsonObject().put("departmentId", parks).put("reason", "抢过来"));
    assertEquals(404, transfer.status(), transfer::toString);

    assertEquals(404, client.get("/api/v1/cases/" + inParks, editor.token()).status(), "editors are no case workers");
    assertTrue(Inbox.ids(client, editor.token(), "").isEmpty());
  }

  @Test
  @DisplayName("a supervisor sees their department and the ones below it, not a sibling's; a dispatcher on the root sees all and the queue")
  void overseersSeeBelow() {
    String inRoads = caseIn(roads);
    String inNorth = caseIn(roadsNorth);
    String inParks = caseIn(parks);
    String queued = Inbox.enter(client, dispatcher.token()).getString("id");

    List<String> supervised = Inbox.ids(client, roadsSupervisor.token(), "");
    assertTrue(supervised.containsAll(List.of(inRoads, inNorth)), supervised::toString);
    assertFalse(supervised.contains(inParks));
    assertEquals(404, client.get("/api/v1/cases/" + inParks, roadsSupervisor.token()).status());
    assertEquals(200, client.get("/api/v1/cases/" + inNorth, roadsSupervisor.token()).status());

    List<String> dispatched = Inbox.ids(client, dispatcher.token(), "");
    assertTrue(dispatched.containsAll(List.of(inRoads, inNorth, inParks, queued)), dispatched::toString);
    assertTrue(Inbox.ids(client, dispatcher.token(), "status=dispatching").contains(queued));
    assertFalse(Inbox.ids(client, roadsReplier.token(), "").contains(queued), "repliers do not see the queue");
    assertEquals(404, client.get("/api/v1/cases/" + queued, roadsReplier.token()).status());
  }

  @Test
  @DisplayName("lists are most urgent first, page without repeats, and filter by assignee, status and overdue")
  void listing() {
    String department = client.department(admin, "信访办", city);
    Inbox.Member replier = Inbox.member(client, admin, List.of("replier"), List.of(department));
    Inbox.assignmentMode(client, admin, department, "claim"); // the cases wait until the replier claims one
    List<String> made = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      made.add(caseIn(department));
    }
    String urgent = Inbox.enter(client, dispatcher.token()).getString("id");
    JsonObject body = Inbox.phoneCase("紧急：燃气泄漏").put("urgency", "urgent");
    Client.Response created = client.post("/api/v1/cases", dispatcher.token(), body);
    assertEquals(201, created.status(), created::toString);
    String mostUrgent = created.json().getString("id");
    Inbox.acted(client, dispatcher.token(), mostUrgent, "assign", new JsonObject().put("departmentId", department));
    Inbox.acted(client, replier.token(), made.get(3), "claim", new JsonObject());

    List<String> seen = new java.util.ArrayList<>();
    String cursor = "";
    do {
      Client.Response page = client.get("/api/v1/cases?limit=3&departmentId=" + department + "&cursor=" + cursor,
        replier.token());
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(item -> seen.add(((JsonObject) item).getString("id")));
      cursor = page.json().getString("next");
    } while (cursor != null);
    assertEquals(8, seen.size(), seen::toString);
    assertEquals(Set.copyOf(seen).size(), seen.size(), "no repeats");
    assertEquals(mostUrgent, seen.get(0), "the urgent case is due first");
    assertEquals(made, seen.subList(1, 8), "then by receipt");
    assertFalse(seen.contains(urgent));

    assertEquals(List.of(made.get(3)), Inbox.ids(client, replier.token(), "assigneeId=" + replier.id()));
    assertEquals(List.of(made.get(3)), Inbox.ids(client, replier.token(), "status=in_progress&departmentId=" + department));
    assertTrue(Inbox.ids(client, replier.token(), "overdue=true&departmentId=" + department).isEmpty());
    assertEquals(8, Inbox.ids(client, replier.token(), "overdue=false&departmentId=" + department).size());
  }

  @Test
  @DisplayName("the department's repliers learn of a case assigned to them, the dispatchers of a return, live")
  void liveInbox() {
    try (EventStreamClient parksStream = EventStreamClient.open(client, parksReplier.token());
         EventStreamClient dispatchStream = EventStreamClient.open(client, dispatcher.token());
         EventStreamClient roadsStream = EventStreamClient.open(client, roadsReplier.token())) {
      String id = Inbox.enter(client, dispatcher.token()).getString("id");
      dispatchStream.next(e -> e.is("case.new") && id.equals(e.json().getString("caseId")), Duration.ofSeconds(10));
      Inbox.acted(client, dispatcher.token(), id, "assign", new JsonObject().put("departmentId", parks));
      EventStreamClient.Received assigned = parksStream.next(e -> e.is("case.assigned")
        && id.equals(e.json().getString("caseId")), Duration.ofSeconds(10));
      assertEquals(parks, assigned.json().getString("departmentId"));
      Inbox.acted(client, parksReplier.token(), id, "return", new JsonObject().put("reason", "非本局职责"));
      dispatchStream.next(e -> e.is("case.returned") && id.equals(e.json().getString("caseId")), Duration.ofSeconds(10));

      String marker = caseIn(roads);
      // events arrive in order: up to the marker, another department's replier heard nothing of the parks case
      roadsStream.next(e -> {
        if (e.data() != null && e.data().contains(id)) {
          throw new AssertionError("the roads replier was told of a parks case: " + e);
        }
        return e.is("case.assigned") && marker.equals(e.json().getString("caseId"));
      }, Duration.ofSeconds(10));
    }
  }
}
