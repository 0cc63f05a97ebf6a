package io.govmedia.events;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.EventStreamClient;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff consoles' live stream against two real instances on the same stores: the shared server ("A") and one
 * whose clock the test moves ("B"). Events are sent with admins' announcements, a route of the running server.
 */
@DisplayName("The live event stream")
class EventsTest {

  private static final Duration SOON = Duration.ofSeconds(10);

  static MovableClock clockOfB;
  static Main.Running instanceB;
  static Client a;
  static Client b;
  static String admin;

  @BeforeAll
  static void start() {
    a = TestServer.get().client();
    clockOfB = new MovableClock();
    instanceB = TestServer.get().startAnother(Map.of(), clockOfB);
    b = new Client(instanceB.port());
    admin = a.adminToken();
  }

  @AfterAll
  static void stop() {
    if (instanceB != null) {
      instanceB.close();
    }
  }

  @Test
  @DisplayName("a ticket opens an event stream with the headers a browser and a proxy need, compressed or not")
  void streamHeaders() {
    Client.Response ticket = a.post("/api/v1/events/ticket", admin, new JsonObject());
    assertEquals(201, ticket.status(), ticket::toString);
    assertTrue(ticket.json().getString("ticket").length() >= 22, ticket::toString);
    assertTrue(ticket.json().getString("expiresAt").endsWith("+08:00"), ticket::toString);

    try (EventStreamClient stream = EventStreamClient.open(a.port(), "?ticket=" + ticket.json().getString("ticket"),
      Map.of("Accept-Encoding", "gzip, deflate"))) {
      assertEquals(200, stream.status());
      assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
      assertEquals("no-store", stream.header("Cache-Control"));
      assertEquals("no", stream.header("X-Accel-Buffering"));
      assertNotEquals("gzip", stream.header("Content-Encoding"));

      String message = "今晚 22:00 系统维护 " + Client.unique();
      String id = announce(a, message, new JsonObject());
      EventStreamClient.Received received = stream.next(announcement(message), SOON);
      assertEquals(id, received.id());
      assertEquals("admin", received.json().getString("from"));
      assertEquals("3000", stream.retry());
    }
  }

  @Test
  @DisplayName("a ticket works once: a second stream with it is refused with 401")
  void ticketIsSingleUse() {
    String ticket = ticket(a, admin);
    try (EventStreamClient first = EventStreamClient.open(a.port(), "?ticket=" + ticket, Map.of())) {
      assertEquals(200, first.status());
    }
    try (EventStreamClient second = EventStreamClient.open(b.port(), "?ticket=" + ticket, Map.of())) {
      assertEquals(401, second.status());
      assertEquals("invalid-ticket", second.problem().getString("code"));
    }
  }

  @Test
  @DisplayName("a ticket older than 60 seconds, a forged one and none at all are refused with 401")
  void expiredForgedMissing() {
    String ticket = ticket(b, admin);
    clockOfB.advance(Duration.ofSeconds(61));
    List<String> queries = List.of("?ticket=" + ticket, "?ticket=" + "A".repeat(43), "?ticket=forged", "");
    for (String query : queries) {
      try (EventStreamClient stream = EventStreamClient.open(b.port(), query, Map.of())) {
        assertEquals(401, stream.status(), query);
        JsonObject problem = stream.problem();
        assertEquals("invalid-ticket", problem.getString("code"), query);
        assertTrue(problem.getString("title").contains("票据"), problem::encode);
      }
    }
  }

  @Test
  @DisplayName("an event sent on one instance reaches streams open on the other, both ways")
  void acrossInstances() {
    try (EventStreamClient onA = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, admin), Map.of());
         EventStreamClient onB = EventStreamClient.open(b.port(), "?ticket=" + ticket(b, admin), Map.of())) {
      String fromB = "来自 B 的通知 " + Client.unique();
      announce(b, fromB, new JsonObject());
      onA.next(announcement(fromB), SOON);
      onB.next(announcement(fromB), SOON);

      String fromA = "来自 A 的通知 " + Client.unique();
      announce(a, fromA, new JsonObject());
      onB.next(announcement(fromA), SOON);
      onA.next(announcement(fromA), SOON);
    }
  }

  @Test
  @DisplayName("a console that reconnects with Last-Event-ID gets exactly the events it missed, in order, then live ones")
  void resumesWithoutGapsOrRepeats() {
    String tag = Client.unique();
    String seen;
    try (EventStreamClient first = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, admin), Map.of())) {
      announce(a, tag + " 1", new JsonObject());
      seen = first.next(announcement(tag + " 1"), SOON).id();
    }
    List<String> missed = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      missed.add(announce(i % 2 == 0 ? b : a, tag + " " + i, new JsonObject()));
    }

    try (EventStreamClient resumed = EventStreamClient.open(b.port(), "?ticket=" + ticket(b, admin), Map.of("Last-Event-ID", seen))) {
      List<String> got = new ArrayList<>();
      for (int i = 2; i <= 4; i++) {
        EventStreamClient.Received event = resumed.next(ofTag(tag), SOON);
        assertEquals(tag + " " + i, event.json().getString("message"));
        got.add(event.id());
      }
      assertEquals(missed, got);
      String live = announce(a, tag + " 5", new JsonObject());
      EventStreamClient.Received next = resumed.next(ofTag(tag), SOON);
      assertEquals(tag + " 5", next.json().getString("message"), "a repeat or a gap before the live event");
      assertEquals(live, next.id());
    }

    // The same through the query parameter (a console that opens a new EventSource with a new ticket).
    try (EventStreamClient resumed = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, admin) + "&lastEventId=" + missed.get(1),
      Map.of())) {
      assertEquals(tag + " 4", resumed.next(ofTag(tag), SOON).json().getString("message"));
      assertEquals(tag + " 5", resumed.next(ofTag(tag), SOON).json().getString("message"));
    }
  }

  @Test
  @DisplayName("a console over a hundred events behind gets them all, in order, before the live ones")
  void resumesFarBehind() {
    String tag = Client.unique();
    String before = announce(a, tag + " 0", new JsonObject());
    int missed = 120;  // more than one replay batch
    for (int i = 1; i <= missed; i++) {
      announce(i % 2 == 0 ? a : b, tag + " " + i, new JsonObject());
    }
    try (EventStreamClient resumed = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, admin), Map.of("Last-Event-ID", before))) {
      announce(b, tag + " " + (missed + 1), new JsonObject());
      for (int i = 1; i <= missed + 1; i++) {
        assertEquals(tag + " " + i, resumed.next(ofTag(tag), SOON).json().getString("message"));
      }
    }
  }

  @Test
  @DisplayName("a Last-Event-ID older than the stream keeps gets a reset event first, so the console reloads")
  void resetWhenTooOld() {
    announce(a, "保留至少一条 " + Client.unique(), new JsonObject());
    try (EventStreamClient stream = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, admin), Map.of("Last-Event-ID", "1-0"))) {
      EventStreamClient.Received first = stream.next(event -> true, SOON);
      assertEquals("reset", first.type());
      String message = "重置后的通知 " + Client.unique();
      announce(b, message, new JsonObject());
      stream.next(announcement(message), SOON);
    }
  }

  @Test
  @DisplayName("an editor of department X gets X's events and their own, not Y's, another role's or another member's; an admin gets all")
  void audience() {
    String x = a.department(admin, "住建局", null);
    String y = a.department(admin, "交通局", null);
    String editorOfX = a.staffToken(admin, List.of("editor"), List.of(x), List.of());
    String editorId = a.get("/api/v1/auth/me", editorOfX).json().getString("id");
    String someoneElse = a.get("/api/v1/auth/me", a.staffToken(admin, List.of("editor"), List.of(x), List.of()))
      .json().getString("id");
    String tag = Client.unique();
    try (EventStreamClient editor = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, editorOfX), Map.of());
         EventStreamClient administrator = EventStreamClient.open(b.port(), "?ticket=" + ticket(b, admin), Map.of())) {
      announce(a, tag + " Y", new JsonObject().put("departmentIds", new JsonArray().add(y)));
      announce(b, tag + " X", new JsonObject().put("departmentIds", new JsonArray().add(x)));
      announce(a, tag + " reviewers of X", new JsonObject().put("departmentIds", new JsonArray().add(x))
        .put("roles", new JsonArray().add("reviewer")));
      announce(b, tag + " another editor", new JsonObject().put("staffIds", new JsonArray().add(someoneElse)));
      announce(a, tag + " this editor", new JsonObject().put("staffIds", new JsonArray().add(editorId)));
      announce(b, tag + " everyone", new JsonObject());

      // Events arrive in the order they were sent: had Y's reached the editor, it would have come first.
      for (String expected : List.of(" X", " this editor", " everyone")) {
        assertEquals(tag + expected, editor.next(ofTag(tag), SOON).json().getString("message"));
      }
      for (String expected : List.of(" Y", " X", " reviewers of X", " another editor", " this editor", " everyone")) {
        assertEquals(tag + expected, administrator.next(ofTag(tag), SOON).json().getString("message"));
      }
    }
  }

  @Test
  @DisplayName("only admins send announcements")
  void announcementsAreForAdmins() {
    String editor = a.staffToken(admin, List.of("editor"), List.of(), List.of());
    Client.Response refused = a.post("/api/v1/events/announcements", editor, new JsonObject().put("message", "你好"));
    assertEquals(403, refused.status(), refused::toString);
    Client.Response unknownRole = a.post("/api/v1/events/announcements", admin,
      new JsonObject().put("message", "你好").put("roles", new JsonArray().add("mayor")));
    assertEquals(400, unknownRole.status(), unknownRole::toString);
  }

  @Test
  @DisplayName("a sixth stream of the same member closes their oldest one, which is told not to reconnect")
  void fiveStreamsPerMember() {
    String editor = a.staffToken(admin, List.of("editor"), List.of(), List.of());
    List<EventStreamClient> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        streams.add(EventStreamClient.open(a.port(), "?ticket=" + ticket(a, editor), Map.of()));
      }
      EventStreamClient.Received closed = streams.get(0).next(event -> !event.type().equals("announcement"), SOON);
      assertEquals("closed", closed.type());
      assertEquals("superseded", closed.json().getString("reason"));
      assertEquals(EventStreamClient.END, streams.get(0).next(event -> true, SOON).type());

      String message = "仍在线的连接 " + Client.unique();
      announce(a, message, new JsonObject());
      for (EventStreamClient stream : streams.subList(1, 6)) {
        stream.next(announcement(message), SOON);
      }
    } finally {
      streams.forEach(EventStreamClient::close);
    }
  }

  @Test
  @DisplayName("a member disabled after connecting is dropped at the next heartbeat")
  void disabledMemberIsDropped() {
    String username = "u" + Client.unique();
    Client.Response created = a.post("/api/v1/staff", admin, new JsonObject().put("username", username)
      .put("displayName", "将被停用").put("password", "Staff-Passw0rd-" + username)
      .put("roles", new JsonArray().add("editor")).put("departmentIds", new JsonArray())
      .put("accountIds", new JsonArray()));
    assertEquals(201, created.status(), created::toString);
    String token = a.login(username, "Staff-Passw0rd-" + username);
    try (EventStreamClient stream = EventStreamClient.open(a.port(), "?ticket=" + ticket(a, token), Map.of())) {
      assertEquals(200, stream.status());
      Client.Response disabled = a.patch("/api/v1/staff/" + created.json().getString("id"), admin,
        new JsonObject().put("disabled", true));
      assertEquals(200, disabled.status(), disabled::toString);

      EventStreamClient.Received closed = stream.next(event -> !event.type().equals("announcement"),
        EventsFeature.HEARTBEAT.plus(SOON));
      assertEquals("closed", closed.type());
      assertEquals("signed-out", closed.json().getString("reason"));
    }
  }

  @Test
  @DisplayName("closing an instance ends its streams, so consoles reconnect elsewhere")
  void closingEndsStreams() {
    Main.Running instance = TestServer.get().startAnother(Map.of());
    try (EventStreamClient stream = EventStreamClient.open(instance.port(), "?ticket=" + ticket(a, admin), Map.of())) {
      assertEquals(200, stream.status());
      instance.close();
      assertEquals(EventStreamClient.END, stream.next(event -> event.type().equals(EventStreamClient.END), SOON).type());
    } finally {
      instance.close();
    }
  }

  static String ticket(Client client, String token) {
    return EventStreamClient.ticket(client, token);
  }

  /** Sends an announcement through {@code client}'s instance; answers the event's id. */
  static String announce(Client client, String message, JsonObject audience) {
    Client.Response response = client.post("/api/v1/events/announcements", admin,
      audience.copy().put("message", message));
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }

  static Predicate<EventStreamClient.Received> announcement(String message) {
    return event -> event.type().equals("announcement") && message.equals(event.json().getString("message"));
  }

  static Predicate<EventStreamClient.Received> ofTag(String tag) {
    return event -> event.type().equals("announcement") && event.json().getString("message").startsWith(tag);
  }
}
