package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static io.govmedia.citizen.ConsultationFixtures.citizen;
import static io.govmedia.citizen.ConsultationFixtures.comment;
import static io.govmedia.citizen.ConsultationFixtures.commented;
import static io.govmedia.citizen.ConsultationFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DOMAIN §2: at least 30 days for draft rules and major decisions, at least 7 working days for normative documents
 * (the State Council's holidays and make-up days counted); shorter only when an admin records why. Citizens comment
 * only within the period.
 */
@DisplayName("The consultation period rule")
class ConsultationPeriodTest {

  static Client client;
  static ConsultationFixtures fx;
  static LocalDate today;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fx = new ConsultationFixtures(client, "司法局");
    today = ConsultationFixtures.today(Clock.systemUTC());
  }

  @Test
  @DisplayName("a draft rule or major decision needs 30 days, both ends counted: 29 are refused with 422 naming the earliest end, 30 are taken")
  void thirtyDays() {
    for (String kind : new String[] {"rule", "major_decision"}) {
      String documentId = fx.draft("三十日规则 " + kind);
      LocalDate from = today.plusDays(1);

      Client.Response short29 = fx.open(client, fx.editor, documentId, kind, from, from.plusDays(28));
      Client.Response full30 = fx.open(client, fx.editor, documentId, kind, from, from.plusDays(29));

      assertEquals(422, short29.status(), short29::toString);
      assertEquals("consultation-too-short", short29.problemCode());
      assertEquals(from.plusDays(29).toString(), short29.json().getString("earliestTo"));
      assertEquals(201, full30.status(), full30::toString);
      assertEquals("scheduled", full30.json().getString("status"), "it opens tomorrow");
    }
  }

  @Test
  @DisplayName("a normative document needs 7 working days: from 2026-09-30 the National Day holiday does not count and the make-up Saturday 10-10 does, so 10-13 is refused and 10-14 taken")
  void sevenWorkingDaysOnTheCalendar() {
    MovableClock clock = new MovableClock();
    clock.advance(Duration.between(Instant.now(), Instant.parse("2026-09-29T02:00:00Z")));  // 10:00 in Shanghai
    try (Main.Running server = TestServer.get().startAnother(Map.of(), clock)) {
      Client own = new Client(server.port());
      String editor = own.login(fx.editorName, fx.editorPassword);
      String documentId = fx.draft("规范性文件：住房租赁管理规定");
      LocalDate from = LocalDate.parse("2026-09-30");

      Client.Response sixDays = fx.open(own, editor, documentId, "normative", from, LocalDate.parse("2026-10-13"));
      Client.Response sevenDays = fx.open(own, editor, documentId, "normative", from, LocalDate.parse("2026-10-14"));

      assertEquals(422, sixDays.status(), sixDays::toString);
      assertEquals("2026-10-14", sixDays.json().getString("earliestTo"));
      assertEquals(201, sevenDays.status(), sevenDays::toString);
    }
  }

  @Test
  @DisplayName("a shorter period needs an admin's recorded reason, which the audit log keeps; an editor's reason does not count")
  void adminsMayShortenWithAReason() {
    String documentId = fx.draft("紧急规章：防汛应急办法");
    JsonObject shortPeriod = new JsonObject().put("kind", "rule").put("from", today.toString())
      .put("to", today.plusDays(9).toString()).put("shortReason", "汛期临近，须尽快出台");

    Client.Response byEditor = client.post("/api/v1/documents/" + documentId + "/consultation", fx.editor, shortPeriod);
    Client.Response byAdmin = client.post("/api/v1/documents/" + documentId + "/consultation", fx.admin, shortPeriod);

    assertEquals(422, byEditor.status(), byEditor::toString);
    assertEquals(201, byAdmin.status(), byAdmin::toString);
    assertEquals("汛期临近，须尽快出台", byAdmin.json().getString("shortReason"));
    String id = byAdmin.json().getString("id");
    JsonObject audited = ok(client.get("/api/v1/audit?limit=50", fx.admin)).getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(e -> "consultation.open".equals(e.getString("action"))
        && id.equals(e.getString("targetId"))).findFirst().orElseThrow(() -> new AssertionError("not audited"));
    assertEquals("汛期临近，须尽快出台", audited.getJsonObject("after").getString("shortReason"));
  }

  @Test
  @DisplayName("a period starting in the past, ending before it starts, or with a date that is not one is a 400")
  void badPeriods() {
    String documentId = fx.draft("期限校验");

    Client.Response past = fx.open(client, fx.editor, documentId, "other", today.minusDays(1), today.plusDays(3));
    Client.Response backwards = fx.open(client, fx.editor, documentId, "other", today.plusDays(3), today.plusDays(2));
    Client.Response notADate = client.post("/api/v1/documents/" + documentId + "/consultation", fx.editor,
      new JsonObject().put("kind", "other").put("from", "2026-02-30").put("to", "明天"));
    Client.Response unknownKind = client.post("/api/v1/documents/" + documentId + "/consultation", fx.editor,
      new JsonObject().put("kind", "law").put("from", today.toString()).put("to", today.toString()));

    for (Client.Response bad : new Client.Response[] {past, backwards, notADate, unknownKind}) {
      assertEquals(400, bad.status(), bad::toString);
    }
    assertEquals("invalid-period", past.problemCode());
    assertEquals("invalid-period", backwards.problemCode());
    assertEquals(2, notADate.json().getJsonArray("errors").size(), notADate::toString);
  }

  @Test
  @DisplayName("one running consultation per document: a second is refused with 409 naming the first; once the first is closed early (with a reason) another may open")
  void oneAtATime() {
    String documentId = fx.draft("一次一征");
    Client.Response first = fx.open(client, fx.editor, documentId, "other", today, today.plusDays(5));
    String firstId = first.json().getString("id");

    Client.Response second = fx.open(client, fx.editor, documentId, "other", today, today.plusDays(5));
    Client.Response closeWithoutReason = client.post("/api/v1/consultations/" + firstId + "/close", fx.editor,
      new JsonObject());
    JsonObject closed = ok(client.post("/api/v1/consultations/" + firstId + "/close", fx.editor,
      new JsonObject().put("reason", "草案需重大修改，重新征求意见")));
    Client.Response third = fx.open(client, fx.editor, documentId, "other", today, today.plusDays(5));

    assertEquals(409, second.status(), second::toString);
    assertEquals("consultation-exists", second.problemCode());
    assertEquals(firstId, second.json().getString("consultationId"));
    assertEquals(400, closeWithoutReason.status(), closeWithoutReason::toString);
    assertEquals("ended", closed.getString("status"));
    assertEquals(201, third.status(), third::toString);
    JsonObject staffView = ok(client.get("/api/v1/documents/" + documentId, fx.editor));
    assertEquals(third.json().getString("id"), staffView.getJsonObject("consultation").getString("id"));
  }

  @Test
  @DisplayName("two openings of one document at once: exactly one wins")
  void concurrentOpenings() throws Exception {
    String documentId = fx.draft("并发开启");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.Callable<Integer> open = () ->
        fx.open(client, fx.editor, documentId, "other", today, today.plusDays(2)).status();
      long created = 0;
      for (java.util.concurrent.Future<Integer> answer : pool.invokeAll(java.util.Collections.nCopies(4, open))) {
        int status = answer.get();
        assertTrue(status == 201 || status == 409, "status " + status);
        created += status == 201 ? 1 : 0;
      }
      assertEquals(1, created);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  @DisplayName("citizens comment only within the period: before it starts, after its last day, and after an early close they get 409 consultation-closed")
  void commentsOnlyWithinThePeriod() throws Exception {
    String scheduled = fx.open(client, fx.editor, fx.draft("明日开始"), "other", today.plusDays(1), today.plusDays(3))
      .json().getString("id");
    String closedEarly = fx.openToday(client, Clock.systemUTC(), "提前结束");
    ok(client.post("/api/v1/consultations/" + closedEarly + "/close", fx.editor, new JsonObject().put("reason", "撤回草案")));
    String citizen = citizen("o-period-" + Client.unique());
    MovableClock clock = new MovableClock();
    try (Main.Running server = TestServer.get().startAnother(Map.of(), clock)) {
      Client own = new Client(server.port());
      String endsToday = fx.openToday(own, clock, "今日截止");
      commented(own, citizen, endsToday, "最后一天的意见");
      clock.advance(Duration.ofDays(1));

      Client.Response afterEnd = comment(own, citizen, endsToday, "晚了一天");
      Client.Response beforeStart = comment(client, citizen, scheduled, "早了一天");
      Client.Response afterClose = comment(client, citizen, closedEarly, "已经撤回");

      for (Client.Response refused : new Client.Response[] {afterEnd, beforeStart, afterClose}) {
        assertEquals(409, refused.status(), refused::toString);
        assertEquals("consultation-closed", refused.problemCode());
      }
    }
  }
}
