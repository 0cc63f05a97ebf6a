package io.govmedia.publishing;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.govmedia.publishing.Desk.miniappSlot;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Publishing's events as an editor's console receives them: through {@code GET /api/v1/events} on a second
 * instance ("B"), while slots are scheduled on the shared server and the scheduler of any instance moves them.
 */
@DisplayName("Publishing's events on the editors' live stream")
class SlotEventsTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  static Desk desk;
  static Client shared;
  static Main.Running instanceB;
  static Client b;
  static String departmentY;
  static String editorOfY;

  @BeforeAll
  static void start() {
    shared = TestServer.get().client();
    desk = new Desk(shared);
    instanceB = TestServer.get().startAnother(Map.of());
    b = new Client(instanceB.port());
    departmentY = shared.department(desk.admin, "交通局", null);
    editorOfY = shared.staffToken(desk.admin, List.of("editor"), List.of(departmentY), List.of());
  }

  @AfterAll
  static void stop() {
    if (instanceB != null) {
      instanceB.close();
    }
  }

  @Test
  @DisplayName("an editor watching on another instance sees their slot go scheduled, publishing, published, with its id and the post's title; an editor of another department sees none of it")
  void statusReachesTheEditor() {
    String title = "老旧小区改造意见征集 " + Client.unique();
    String post = desk.approvedPost(title, false);
    try (EventStreamClient editorOfX = EventStreamClient.open(b, desk.editor);
         EventStreamClient elsewhere = EventStreamClient.open(b, editorOfY)) {
      String slot = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now())).getString("id");

      List<String> statuses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject event = editorOfX.next(ofSlot("slot.status", slot), WAIT).json();
        assertEquals(title, event.getString("postTitle"), event::encode);
        assertEquals(desk.miniapp, event.getString("accountId"), event::encode);
        statuses.add(event.getString("status"));
      }
      assertEquals(List.of("scheduled", "publishing", "published"), statuses);

      // Events arrive in the order they were sent: had one of X's reached Y's editor, it would come before this.
      String marker = announceTo(departmentY);
      EventStreamClient.Received first = elsewhere.next(announcement(marker).or(e -> e.type().startsWith("slot.")),
        WAIT);
      assertEquals("announcement", first.type(), () -> "another department's editor got " + first);
    }
  }

  @Test
  @DisplayName("a slot no instance reached within the grace window reaches its editor as slot.missed")
  void missedReachesTheEditor() {
    String title = "超过宽限 " + Client.unique();
    String post = desk.approvedPost(title, false);
    String slot = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now().plus(Duration.ofMinutes(40))))
      .getString("id");
    MovableClock clock = new MovableClock();
    clock.advance(Duration.ofHours(2));  // 80 minutes late: past the 30-minute grace

    try (EventStreamClient editorOfX = EventStreamClient.open(b, desk.editor);
         Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {
      JsonObject missed = editorOfX.next(ofSlot("slot.missed", slot), WAIT).json();

      assertEquals("missed", missed.getString("status"), missed::encode);
      assertEquals(title, missed.getString("postTitle"));
      assertEquals(0, missed.getInteger("attempt"), "never sent");
    }
  }

  @Test
  @DisplayName("eleven days without a publication, the account's editors are warned on the stream (account.inspection); an editor of another department is not")
  void inspectionWarningReachesTheEditor() {
    MovableClock clock = new MovableClock();
    clock.advance(Duration.ofDays(11));

    try (EventStreamClient editorOfX = EventStreamClient.open(b, desk.editor);
         EventStreamClient elsewhere = EventStreamClient.open(b, editorOfY);
         Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {  // the guard runs at start
      JsonObject warning = editorOfX.next(ofAccount("account.inspection", desk.weibo), WAIT).json();

      assertEquals("warning", warning.getString("state"), warning::encode);
      assertEquals(11, warning.getInteger("daysSinceLastPost"), warning::encode);
      String marker = announceTo(departmentY);
      EventStreamClient.Received first = elsewhere.next(announcement(marker).or(e -> e.is("account.inspection")),
        WAIT);
      assertEquals("announcement", first.type(), () -> "another department's editor got " + first);
    }
  }

  /** An admin's announcement to one department's staff; answers its text. */
  static String announceTo(String departmentId) {
    String message = "交通局例行通知 " + Client.unique();
    Client.Response sent = shared.post("/api/v1/events/announcements", desk.admin, new JsonObject()
      .put("message", message).put("departmentIds", new JsonArray().add(departmentId)));
    assertEquals(201, sent.status(), sent::toString);
    return message;
  }

  static Predicate<EventStreamClient.Received> announcement(String message) {
    return e -> e.is("announcement") && message.equals(e.json().getString("message"));
  }

  static Predicate<EventStreamClient.Received> ofSlot(String type, String slotId) {
    return e -> e.is(type) && slotId.equals(e.json().getString("id"));
  }

  static Predicate<EventStreamClient.Received> ofAccount(String type, String accountId) {
    return e -> e.is(type) && accountId.equals(e.json().getString("accountId"));
  }
}
