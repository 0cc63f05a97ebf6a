package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The citizen's rating as staff take it on the phone, and 回访 records: satisfied closes, unsatisfied reopens to the
 * same department under 督办, a second unsatisfied waits for a supervisor's decision.
 */
@DisplayName("Ratings and follow-ups")
class RatingTest {

  static Replying desk;

  @BeforeAll
  static void start() {
    desk = new Replying();
  }

  @AfterAll
  static void stop() {
    if (desk != null) {
      desk.close();
    }
  }

  static Client.Response rate(Inbox.Member member, String caseId, JsonObject body) {
    return desk.client.post("/api/v1/cases/" + caseId + "/rating", member.token(), body);
  }

  static String answered() {
    String caseId = desk.wechatCase().getString("id");
    desk.replied(caseId, "您好，路灯已修复。");
    return caseId;
  }

  @Test
  @DisplayName("satisfied closes the answered case; the rating, its comment and who took it are on the case and in the history")
  void satisfiedCloses() {
    String caseId = answered();
    Client.Response rated = rate(desk.replierA, caseId, new JsonObject().put("value", "satisfied")
      .put("comment", "处理及时"));

    assertEquals(200, rated.status(), rated::toString);
    JsonObject c = rated.json();
    assertEquals("closed", c.getString("status"));
    JsonObject rating = c.getJsonObject("rating");
    assertEquals("satisfied", rating.getString("value"));
    assertEquals("处理及时", rating.getString("comment"));
    assertEquals("phone", rating.getString("via"));
    assertEquals(desk.replierA.id(), rating.getString("by"));
    JsonObject step = Replying.lastStep(c);
    assertEquals("rate", step.getString("action"));
    assertEquals("answered", step.getString("from"));
    assertEquals("closed", step.getString("to"));

    Client.Response again = rate(desk.replierA, caseId, new JsonObject().put("value", "basically"));
    assertEquals(409, again.status(), "a closed case is not rated again: " + again);
  }

  @Test
  @DisplayName("unsatisfied reopens the case to the same department under 督办 with a new deadline; a second unsatisfied goes to a supervisor, who decides with a reason")
  void unsatisfiedTwice() {
    String caseId = answered();
    desk.clock.advance(java.time.Duration.ofDays(2));
    Client.Response first = rate(desk.replierA, caseId, new JsonObject().put("value", "unsatisfied")
      .put("comment", "路灯还是不亮"));
    assertEquals(200, first.status(), first::toString);
    JsonObject reopened = first.json();
    assertEquals("assigned", reopened.getString("status"));
    assertEquals(desk.departmentA, reopened.getString("departmentId"));
    assertTrue(reopened.getJsonArray("flags").contains("supervised"), reopened::encode);
    LocalDate receivedOn = LocalDate.parse(reopened.getJsonObject("deadline").getString("receivedOn"));
    assertTrue(receivedOn.isAfter(LocalDate.now()), "the deadline counts again from the reopening: " + reopened.encode());

    desk.replied(caseId, "您好，已更换路灯灯具。");
    Client.Response second = rate(desk.replierA, caseId, new JsonObject().put("value", "unsatisfied"));
    assertEquals(200, second.status(), second::toString);
    JsonObject waiting = second.json();
    assertEquals("answered", waiting.getString("status"));
    assertTrue(waiting.getJsonArray("flags").contains("supervisor-decision"), waiting::encode);
    assertEquals(2, waiting.getJsonObject("rating").getInteger("unsatisfied"));
    assertEquals(1, waiting.getJsonObject("rating").getJsonArray("earlier").size());

    Client.Response byReplier = Inbox.act(desk.client, desk.replierA.token(), caseId, "close",
      new JsonObject().put("reason", "已处理"));
    assertEquals(403, byReplier.status(), byReplier::toString);
    Client.Response noReason = Inbox.act(desk.client, desk.supervisor.token(), caseId, "close", new JsonObject());
    assertEquals(400, noReason.status(), noReason::toString);
    JsonObject decided = Inbox.acted(desk.client, desk.supervisor.token(), caseId, "reopen",
      new JsonObject().put("reason", "请会同供电部门彻底排查"));
    assertEquals("assigned", decided.getString("status"));
    assertFalse(decided.getJsonArray("flags").contains("supervisor-decision"), decided::encode);
  }

  @Test
  @DisplayName("a 回访 is recorded with who, when, how and what was said, on the rating record and in the history")
  void followUp() {
    String caseId = answered();
    Client.Response recorded = desk.client.post("/api/v1/cases/" + caseId + "/follow-up", desk.otherReplierA.token(),
      new JsonObject().put("how", "phone").put("note", "市民表示路灯已亮").put("at", "2026-05-06T10:00:00+08:00"));

    assertEquals(201, recorded.status(), recorded::toString);
    JsonObject followUp = recorded.json().getJsonObject("rating").getJsonArray("followUps").getJsonObject(0);
    assertEquals(desk.otherReplierA.id(), followUp.getString("by"));
    assertEquals("phone", followUp.getString("how"));
    assertEquals("市民表示路灯已亮", followUp.getString("note"));
    assertEquals("2026-05-06T10:00:00+08:00", followUp.getString("at"));
    assertEquals("follow-up", Replying.lastStep(recorded.json()).getString("action"));
    assertEquals("answered", recorded.json().getString("status"), "a follow-up changes no status");

    Client.Response rated = rate(desk.replierA, caseId, new JsonObject().put("value", "basically").put("via", "follow-up"));
    assertEquals("closed", rated.json().getString("status"));
    assertEquals(1, rated.json().getJsonObject("rating").getJsonArray("followUps").size(), "the follow-up stays");
  }

  @Test
  @DisplayName("a case not yet answered cannot be rated (409); bad ratings are 400; another department's case is a 404")
  void refusals() {
    String open = desk.phoneCase().getString("id");
    Client.Response early = rate(desk.replierA, open, new JsonObject().put("value", "satisfied"));
    assertEquals(409, early.status(), early::toString);
    assertEquals("action-not-allowed", early.problemCode());

    String caseId = answered();
    assertEquals(400, rate(desk.replierA, caseId, new JsonObject().put("value", "great")).status());
    assertEquals(400, rate(desk.replierA, caseId, new JsonObject().put("value", "satisfied")
      .put("comment", "长".repeat(501))).status());
    assertEquals(400, rate(desk.replierA, caseId, new JsonObject().put("value", "satisfied").put("via", "miniapp"))
      .status(), "the citizen's own channel is not for staff to claim");
    assertEquals(400, desk.client.post("/api/v1/cases/" + caseId + "/follow-up", desk.replierA.token(),
      new JsonObject().put("how", "telepathy").put("note", "x")).status());
    Client.Response outside = rate(desk.replierB, caseId, new JsonObject().put("value", "satisfied"));
    assertEquals(404, outside.status(), outside::toString);
    assertEquals("answered", desk.read(caseId).getString("status"));
  }
}
