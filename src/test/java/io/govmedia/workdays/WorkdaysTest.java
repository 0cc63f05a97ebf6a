package io.govmedia.workdays;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The working-day calendar (调休)")
class WorkdaysTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  static Client client;
  static String admin;
  static String editor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    String department = client.department(admin, "办公室", null);
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
  }

  @Test
  @DisplayName("deadlines cross the 2026 Spring Festival: the make-up Saturday counts, the nine days off do not")
  void springFestival2026() {
    assertEquals(day("2026-02-14", false), add("2026-02-13", 1), "Friday + 1 is the make-up Saturday 02-14");
    assertEquals(day("2026-02-24", false), add("2026-02-14", 1), "02-15..02-23 are off");
    assertEquals(day("2026-02-24", false), add("2026-02-13", 2));
    assertEquals(day("2026-02-26", false), add("2026-02-12", 5));
    assertEquals(day("2026-02-28", false), add("2026-02-27", 1), "the make-up Saturday 02-28");
    assertEquals(day("2026-01-05", false), add("2025-12-31", 2), "01-01..01-03 off, Sunday 01-04 a make-up day");
  }

  @Test
  @DisplayName("2025's National Day week is off, and Saturday 10-11 is a working day")
  void nationalDay2025() {
    assertEquals(day("2025-10-09", false), add("2025-09-30", 1), "10-01..10-08 are off");
    assertEquals(day("2025-09-28", false), add("2025-09-26", 1), "Sunday 09-28 is a make-up day");
    assertEquals(day("2025-10-11", false), add("2025-10-09", 2));
  }

  @Test
  @DisplayName("counting starts the day after receipt: a message received on a working day is not due that same day")
  void countedFromTheDayAfter() {
    assertEquals(day("2025-10-11", false), add("2025-10-10", 1), "received Friday 10-10, due on the make-up Saturday");
    assertEquals(day("2026-03-03", false), add("2026-03-02", 1));
    assertEquals(day("2026-03-02", false), add("2026-03-02", 0), "0 days is the day itself");
    assertEquals(day("2026-10-08", false), add("2026-09-30", 1), "received the day before National Day");
  }

  @Test
  @DisplayName("a count that reaches a year without a table is computed Monday to Friday and marked provisional")
  void intoAYearWithoutTable() {
    assertEquals(day("2026-12-31", false), add("2026-12-30", 1));
    assertEquals(day("2027-01-01", true), add("2026-12-31", 1), "2027 has no table yet: a Friday counts");
  }

  @Test
  @DisplayName("the shipped tables are listed with every date of the notice; a year without one is a 404")
  void shippedTables() {
    Client.Response list = client.get("/api/v1/holidays", editor);
    assertEquals(200, list.status(), list::toString);
    List<JsonObject> items = list.items().stream().map(JsonObject.class::cast).toList();
    assertTrue(items.stream().anyMatch(t -> t.getInteger("year") == 2025 && "file".equals(t.getString("source"))),
      list::toString);
    assertTrue(list.json().containsKey("missing"), list::toString);

    JsonObject table = client.get("/api/v1/holidays/2026", editor).json();
    assertEquals(33, table.getJsonArray("off").size(), table::encode);
    assertTrue(table.getJsonArray("off").contains("2026-02-19"), "02-15..02-23 expanded");
    assertEquals(new JsonArray(List.of("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
      "2026-10-10")), table.getJsonArray("workdays"));
    assertEquals(28, client.get("/api/v1/holidays/2025", editor).json().getJsonArray("off").size());

    for (String year : List.of("2039", "1999", "abcd")) {
      Client.Response none = client.get("/api/v1/holidays/" + year, editor);
      assertEquals(404, none.status(), none::toString);
      assertEquals("holiday-table-not-found", none.problemCode());
    }
  }

  @Test
  @DisplayName("a year without a table alarms the admins and is listed as missing; once an admin adds it, answers are final on every instance")
  void missingYearThenTable() {
    try (EventStreamClient admins = EventStreamClient.open(client, admin);
         Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client otherClient = new Client(other.port());
      assertEquals(day("2040-01-06", true), add("2040-01-01", 5), "Monday to Friday while 2040 has no table");

      JsonObject alarm = admins.next(e -> e.is(MissingTables.EVENT) && e.json().getInteger("year") == 2040, WAIT).json();
      assertTrue(alarm.getString("message").contains("2040"), alarm::encode);
      assertTrue(missing(client).contains(2040));
      assertTrue(missing(otherClient).contains(2040), "kept in Redis: every instance knows");
      assertEquals(day("2040-01-06", true), add(otherClient, "2040-01-01", 5));

      Client.Response put = put("2040", admin, new JsonObject()
        .put("off", new JsonArray(List.of("2040-01-03", "2040-01-01", "2040-01-02")))
        .put("workdays", new JsonArray(List.of("2040-01-07"))));
      assertEquals(200, put.status(), put::toString);
      assertEquals("admin", put.json().getString("source"));
      assertEquals(new JsonArray(List.of("2040-01-01", "2040-01-02", "2040-01-03")), put.json().getJsonArray("off"));

      assertEquals(day("2040-01-09", false), add("2040-01-01", 5), "off 01-02..01-03, Saturday 01-07 worked");
      assertFalse(missing(client).contains(2040));
      assertEquals("admin", client.get("/api/v1/holidays/2040", editor).json().getString("source"));
      awaitAnswer(otherClient, "2040-01-01", 5, day("2040-01-09", false));
      assertFalse(missing(otherClient).contains(2040));

      JsonObject audited = latestAudit("holidays.put", "2040");
      assertEquals(new JsonArray(List.of("2040-01-07")), audited.getJsonObject("after").getJsonArray("workdays"));
    }
  }

  @Test
  @DisplayName("every mistake in a table is a 400 with its own code, the dates at fault named, and nothing is stored")
  void validation() {
    JsonObject good = new JsonObject().put("off", new JsonArray(List.of("2041-01-01"))).put("workdays", new JsonArray());
    assertProblem("invalid-year", put("1999", admin, good));
    assertProblem("invalid-year", put("2101", admin, good));
    assertProblem("invalid-year", put("20x1", admin, good));
    assertProblem("invalid-body", put("2041", admin, new JsonObject().put("workdays", new JsonArray())));
    assertProblem("invalid-body", put("2041", admin, new JsonObject().put("off", "2041-01-01")));
    assertProblem("invalid-date", put("2041", admin, offs("2041-02-30")), "2041-02-30");
    assertProblem("invalid-date", put("2041", admin, offs("2041/02/01")), "2041/02/01");
    assertProblem("invalid-date", put("2041", admin, offs("２０41-02-01")));
    assertProblem("invalid-date", put("2041", admin, new JsonObject().put("off", new JsonArray().add(20410101))));
    assertProblem("date-outside-year", put("2041", admin, offs("2041-12-31", "2042-01-01")), "2042-01-01");
    assertProblem("duplicate-date", put("2041", admin, offs("2041-01-01", "2041-01-01")), "2041-01-01");
    assertProblem("date-in-both-lists", put("2041", admin, new JsonObject().put("off", new JsonArray(List.of("2041-01-05")))
      .put("workdays", new JsonArray(List.of("2041-01-05")))), "2041-01-05");
    assertProblem("workday-not-weekend", put("2041", admin, new JsonObject().put("off", new JsonArray())
      .put("workdays", new JsonArray(List.of("2041-01-06", "2041-01-07")))), "2041-01-07");  // Sunday, Monday
    List<String> tooMany = new ArrayList<>(IntStream.range(0, 365)
      .mapToObj(i -> LocalDate.of(2041, 1, 1).plusDays(i).toString()).toList());
    tooMany.add("2041-01-01");
    tooMany.add("2041-01-02");
    assertProblem("too-many-dates", put("2041", admin, new JsonObject().put("off", new JsonArray(tooMany))));
    Client.Response notJson = client.raw("PUT", "/api/v1/holidays/2041", admin, "application/json",
      "{\"off\": [".getBytes(StandardCharsets.UTF_8));
    assertProblem("invalid-json", notJson);

    assertEquals(404, client.get("/api/v1/holidays/2041", admin).status(), "nothing was stored");
  }

  @Test
  @DisplayName("only admins change tables (403 for others); every staff member may read them and count days")
  void whoMay() {
    Client.Response refused = put("2041", editor, offs("2041-01-01"));
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertEquals(404, client.get("/api/v1/holidays/2041", admin).status());
    assertEquals(200, client.get("/api/v1/holidays", editor).status());
    assertEquals(200, client.get("/api/v1/workdays/add?from=2026-02-13&days=1", editor).status());
    assertEquals(401, client.get("/api/v1/workdays/add?from=2026-02-13&days=1", null).status());
    assertEquals(401, client.get("/api/v1/holidays", null).status());
  }

  @Test
  @DisplayName("a bad date or number of days is a 400, never a guess")
  void badQueries() {
    for (String query : List.of("from=2026-02-13", "days=1", "from=2026-2-13&days=1", "from=2026-02-30&days=1",
      "from=2026-02-13&days=-1", "from=2026-02-13&days=401", "from=2026-02-13&days=abc", "from=2026-02-13&days=%EF%BC%95",
      "from=1999-12-31&days=1", "from=2101-01-01&days=1", "from=2026-02-13&days=1.5")) {
      Client.Response answer = client.get("/api/v1/workdays/add?" + query, editor);
      assertProblem("invalid-parameter", answer);
    }
    assertEquals(200, client.get("/api/v1/workdays/add?from=2026-02-13&days=400", editor).status());
  }

  // Helpers

  private static JsonObject day(String date, boolean provisional) {
    return new JsonObject().put("date", date).put("provisional", provisional);
  }

  private static JsonObject add(String from, int days) {
    return add(client, from, days);
  }

  private static JsonObject add(Client on, String from, int days) {
    Client.Response answer = on.get("/api/v1/workdays/add?from=" + from + "&days=" + days, editor);
    assertEquals(200, answer.status(), answer::toString);
    return answer.json();
  }

  /** Another instance follows a table put elsewhere within seconds: asks until it answers so. */
  private static void awaitAnswer(Client on, String from, int days, JsonObject expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonObject seen = add(on, from, days);
    while (!expected.equals(seen) && System.nanoTime() < deadline) {
      pause();
      seen = add(on, from, days);
    }
    assertEquals(expected, seen, "the other instance's answer");
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> missing(Client on) {
    Client.Response list = on.get("/api/v1/holidays", editor);
    assertEquals(200, list.status(), list::toString);
    return list.json().getJsonArray("missing").stream().map(Integer.class::cast).toList();
  }

  private static Client.Response put(String year, String token, JsonObject body) {
    return client.raw("PUT", "/api/v1/holidays/" + year, token, "application/json",
      body.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject offs(String... dates) {
    return new JsonObject().put("off", new JsonArray(List.of(dates)));
  }

  private static void assertProblem(String code, Client.Response answer, String... dates) {
    assertEquals(400, answer.status(), answer::toString);
    assertEquals(code, answer.problemCode(), answer::toString);
    for (String date : dates) {
      assertTrue(answer.json().getJsonArray("dates").contains(date), answer::toString);
    }
  }

  private static JsonObject latestAudit(String action, String targetId) {
    Client.Response page = client.get("/api/v1/audit?limit=200", admin);
    assertEquals(200, page.status(), page::toString);
    return page.items().stream().map(JsonObject.class::cast)
      .filter(e -> action.equals(e.getString("action")) && targetId.equals(e.getString("targetId")))
      .findFirst().orElseThrow(() -> new AssertionError("no audit entry " + action + " " + targetId));
  }
}
