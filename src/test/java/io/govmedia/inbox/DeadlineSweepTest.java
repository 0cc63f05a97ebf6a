package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.MovableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deadline sweep on an instance whose clock goes back to the 2026 Spring Festival (its own stores, so the shared
 * server's sweep never sees these cases): the 75% reminder, the last-day reminder and the breach (督办) each once, at
 * working-day times that skip the nine days off and count the make-up Saturdays; and a deadline reaching a year
 * without a table, recomputed when the table arrives.
 */
@DisplayName("Deadline sweep")
class DeadlineSweepTest {

  static MovableClock clock;
  static Main.Running instance;
  static Client client;
  static String admin;
  static String city;
  static String department;
  static Inbox.Member dispatcher;
  static Inbox.Member replier;
  static Inbox.Member supervisor;
  static Inbox.Member head;

  @BeforeAll
  static void start() {
    clock = new MovableClock();
    moveTo("2026-02-12T10:00:00+08:00");
    instance = OwnStores.start(1, clock, Map.of("GOVMEDIA_INBOX_DEADLINE_SWEEP_SECONDS", "1"));
    client = new Client(instance.port());
    admin = client.adminToken();
    city = client.department(admin, "市政府", null);
    department = client.department(admin, "城管局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    replier = Inbox.member(client, admin, List.of("replier"), List.of(department));
    supervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(city));
    head = Inbox.head(client, admin, List.of("replier"), List.of(department), List.of(department));
  }

  @AfterAll
  static void stop() {
    if (instance != null) {
      instance.close();
    }
  }

  static void moveTo(String at) {
    clock.advance(Duration.between(clock.instant(), OffsetDateTime.parse(at).toInstant()));
  }

  /** A complaint (7 working days) entered now, sent to the department and claimed by the replier. */
  static JsonObject claimedComplaint() {
    JsonObject c = Inbox.enter(client, dispatcher.token());
    Inbox.acted(client, dispatcher.token(), c.getString("id"), "assign", new JsonObject().put("departmentId", department));
    return Inbox.acted(client, replier.token(), c.getString("id"), "claim", new JsonObject());
  }

  static List<String> actions(JsonObject c) {
    return c.getJsonArray("history").stream().map(s -> ((JsonObject) s).getString("action")).toList();
  }

  static JsonObject once(String id, String action) {
    return Inbox.eventually(() -> Inbox.read(client, replier.token(), id), c -> actions(c).contains(action),
      Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("a complaint received before the Spring Festival is reminded at 75% and on its last day, then put under 督办 once, the department head and the supervisor told")
  void remindersAndBreach() {
    moveTo("2026-02-12T10:00:00+08:00");
    JsonObject c = claimedComplaint();
    String id = c.getString("id");
    // counted from 02-13: 13 (Fri), 14 (make-up Sat), 24, 25, 26, 27, 28 (make-up Sat); 15–23 off
    assertEquals("2026-02-28", c.getString("dueDate"));

    try (EventStreamClient mine = EventStreamClient.open(client, replier.token());
         EventStreamClient overseer = EventStreamClient.open(client, supervisor.token());
         EventStreamClient heads = EventStreamClient.open(client, head.token())) {
      moveTo("2026-02-27T00:00:30+08:00");  // 5 of 7 working days used
      JsonObject reminded = once(id, "reminder");
      assertFalse(actions(reminded).contains("last_day"), reminded::encode);
      assertFalse(reminded.getJsonArray("flags").contains("supervised"));
      JsonObject step = last(reminded, "reminder");
      assertEquals("system", step.getString("by"));
      assertEquals("2026-02-28", step.getString("note"));
      assertTrue(mine.next(e -> e.is("case.reminder"), Duration.ofSeconds(10)).data().contains(id));

      moveTo("2026-02-28T00:00:30+08:00");  // the make-up Saturday is the last working day
      once(id, "last_day");
      mine.next(e -> e.is("case.reminder") && e.data().contains("last_day"), Duration.ofSeconds(10));

      moveTo("2026-03-01T00:00:30+08:00");
      JsonObject breached = once(id, "overdue");
      assertTrue(breached.getJsonArray("flags").contains("supervised"), breached::encode);
      assertTrue(breached.getBoolean("overdue"));
      overseer.next(e -> e.is("case.overdue") && e.data().contains(id), Duration.ofSeconds(10));
      heads.next(e -> e.is("case.overdue") && e.data().contains(id), Duration.ofSeconds(10));
      assertTrue(Inbox.ids(client, supervisor.token(), "flag=supervised").contains(id));

      // another case's reminder proves later sweeps ran: the first case got each alarm exactly once
      JsonObject later = claimedComplaint();
      moveTo("2026-03-07T00:00:30+08:00");  // received on a Sunday: 75% is the end of Friday 03-06
      once(later.getString("id"), "reminder");
      List<String> all = actions(Inbox.read(client, replier.token(), id));
      for (String alarm : List.of("reminder", "last_day", "overdue")) {
        assertEquals(1, all.stream().filter(alarm::equals).count(), () -> alarm + " in " + all);
      }
    }
  }

  @Test
  @DisplayName("a changed deadline re-arms the reminders: after a pause the last-day reminder comes for the new due date")
  void pauseRearms() {
    moveTo("2026-04-13T09:00:00+08:00");
    JsonObject c = claimedComplaint();
    String id = c.getString("id");
    moveTo("2026-04-21T00:00:30+08:00");
    once(id, "reminder");
    Inbox.acted(client, replier.token(), id, "pause", new JsonObject().put("reason", "等待第三方意见"));
    moveTo("2026-04-24T09:00:00+08:00");
    JsonObject resumed = Inbox.acted(client, replier.token(), id, "resume", new JsonObject());
    String due = resumed.getString("dueDate");
    assertTrue(due.compareTo(c.getString("dueDate")) > 0, resumed::encode);
    moveTo(due + "T00:00:30+08:00");
    JsonObject again = Inbox.eventually(() -> Inbox.read(client, replier.token(), id),
      r -> actions(r).contains("last_day"), Duration.ofSeconds(20));
    assertEquals(due, last(again, "last_day").getString("note"));
  }

  @Test
  @DisplayName("a deadline that reaches 2027 without a table is provisional, and is recomputed when the table is added")
  void provisionalRecomputed() {
    moveTo("2026-12-28T10:00:00+08:00");
    JsonObject entered = client.post("/api/v1/cases", dispatcher.token(), Inbox.phoneCase("申请公开 2026 年预算")
      .put("category", "disclosure_request")).json();
    String id = entered.getString("id");
    assertTrue(entered.getBoolean("provisional"), entered::encode);
    // Monday–Friday from 12-29: 12-29, 30, 31, then 2027-01-01 … the 20th working day is 2027-01-25
    assertEquals("2027-01-25", entered.getString("dueDate"));

    Client.Response put = client.raw("PUT", "/api/v1/holidays/2027", admin, "application/json",
      new JsonObject().put("off", new JsonArray(List.of("2027-01-01", "2027-01-04")))
        .put("workdays", new JsonArray()).encode().getBytes(StandardCharsets.UTF_8));
    assertTrue(put.status() == 200 || put.status() == 201, put::toString);

    JsonObject recomputed = Inbox.eventually(() -> Inbox.read(client, dispatcher.token(), id),
      r -> !r.getBoolean("provisional"), Duration.ofSeconds(20));
    assertEquals("2027-01-27", recomputed.getString("dueDate"), "two days off more: two working days later");
    JsonObject step = last(recomputed, "deadline_recomputed");
    assertTrue(step.getString("reason").contains("2027"), step::encode);
  }

  static JsonObject last(JsonObject c, String action) {
    JsonObject found = null;
    for (Object s : c.getJsonArray("history")) {
      if (action.equals(((JsonObject) s).getString("action"))) {
        found = (JsonObject) s;
      }
    }
    assertTrue(found != null, () -> action + " not in " + c.encode());
    return found;
  }

}
