package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing a case's reply: only with the citizen's consent, after review by a head or a supervisor who did not ask
 * for it, and masked — an ID number, a mobile number and the citizen's name never appear in the public record.
 */
@DisplayName("Public disclosure of replies")
class DisclosureTest {

  static final String ID_NUMBER = "11010519491231002X";
  static final String MOBILE = "13812345678";
  static final String NAME = "张三丰";
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

  /** A consenting citizen's phone case, with their ID number, mobile and name in the question and the name in the reply. */
  static String answeredWithPersonalData() {
    String question = "我叫" + NAME + "，身份证号" + ID_NUMBER + "，电话" + MOBILE + "。楼下餐馆油烟扰民 " + Client.unique();
    String caseId = desk.phoneCase(question, true).getString("id");
    desk.replied(caseId, NAME + "同志：经现场检查，已责令该餐馆安装油烟净化设施。");
    return caseId;
  }

  static Client.Response publish(Inbox.Member member, String caseId) {
    return desk.client.post("/api/v1/cases/" + caseId + "/publish", member.token(), new JsonObject());
  }

  @Test
  @DisplayName("the public record shows receipt date, reply date, department, question and reply with the ID number, mobile and name masked, and is published once a supervisor approves")
  void maskedAndReviewed() {
    String caseId = answeredWithPersonalData();
    Client.Response requested = publish(desk.replierA, caseId);
    assertEquals(201, requested.status(), requested::toString);
    JsonObject record = requested.json();
    assertEquals("pending_review", record.getString("status"));
    assertTrue(record.getString("departmentName").startsWith("城管局"), record::encode);
    assertNotNull(record.getString("receivedOn"));
    assertNotNull(record.getString("repliedOn"));
    assertTrue(record.getString("question").contains("110105********002X"), record::encode);
    assertTrue(record.getString("question").contains("138****5678"), record::encode);
    assertTrue(record.getString("question").contains("张**"), record::encode);
    assertTrue(record.getString("reply").startsWith("张**同志"), record::encode);
    neverUnmasked(record.encode());

    Client.Response byReplier = desk.client.post("/api/v1/public-replies/" + caseId + "/approve",
      desk.otherReplierA.token(), new JsonObject());
    assertEquals(403, byReplier.status(), byReplier::toString);
    Client.Response approved = desk.client.post("/api/v1/public-replies/" + caseId + "/approve",
      desk.supervisor.token(), new JsonObject().put("note", "可以公开"));
    assertEquals(200, approved.status(), approved::toString);
    assertEquals("published", approved.json().getString("status"));
    assertNotNull(approved.json().getString("publishedAt"));

    Client.Response listed = desk.client.get("/api/v1/public-replies?status=published&limit=200", desk.replierA.token());
    assertEquals(200, listed.status(), listed::toString);
    assertTrue(listed.items().stream().anyMatch(i -> caseId.equals(((JsonObject) i).getString("id"))), listed::toString);
    neverUnmasked(listed.text());
    assertTrue(Replying.hasStep(desk.read(caseId), "published"));

    Client.Response again = publish(desk.replierA, caseId);
    assertEquals(409, again.status(), again::toString);
    assertEquals("already-published", again.problemCode());
  }

  @Test
  @DisplayName("without the citizen's consent at intake a reply is not published (409)")
  void consentRequired() {
    String caseId = desk.phoneCase("无同意的留言 " + Client.unique(), false).getString("id");
    desk.replied(caseId, "已处理。");
    Client.Response refused = publish(desk.replierA, caseId);
    assertEquals(409, refused.status(), refused::toString);
    assertEquals("no-consent", refused.problemCode());
  }

  @Test
  @DisplayName("a case not yet answered cannot be published; the one who asked cannot approve; a rejection needs a reason and allows a new request")
  void refusals() {
    String open = desk.phoneCase("未答复 " + Client.unique(), true).getString("id");
    Client.Response early = publish(desk.replierA, open);
    assertEquals(409, early.status(), early::toString);
    assertEquals("action-not-allowed", early.problemCode());

    String caseId = answeredWithPersonalData();
    assertEquals(201, publish(desk.supervisor, caseId).status());
    Client.Response own = desk.client.post("/api/v1/public-replies/" + caseId + "/approve", desk.supervisor.token(),
      new JsonObject());
    assertEquals(403, own.status(), own::toString);
    Client.Response noReason = desk.client.post("/api/v1/public-replies/" + caseId + "/reject",
      desk.otherSupervisor.token(), new JsonObject());
    assertEquals(400, noReason.status(), noReason::toString);
    Client.Response rejected = desk.client.post("/api/v1/public-replies/" + caseId + "/reject",
      desk.otherSupervisor.token(), new JsonObject().put("reason", "请删去具体地址"));
    assertEquals("rejected", rejected.json().getString("status"));

    Client.Response reworded = desk.client.post("/api/v1/cases/" + caseId + "/publish", desk.replierA.token(),
      new JsonObject().put("question", "楼下餐馆油烟扰民，联系人：" + NAME + "，电话 " + MOBILE));
    assertEquals(201, reworded.status(), reworded::toString);
    assertEquals("楼下餐馆油烟扰民，联系人：张**，电话 138****5678", reworded.json().getString("question"));
  }

  @Test
  @DisplayName("another department's staff get 404 for the case's publication and its record, and do not list it")
  void scope() {
    String caseId = answeredWithPersonalData();
    Client.Response outside = publish(desk.replierB, caseId);
    assertEquals(404, outside.status(), outside::toString);
    assertEquals(201, publish(desk.replierA, caseId).status());
    assertEquals(404, desk.client.get("/api/v1/public-replies/" + caseId, desk.replierB.token()).status());
    assertEquals(200, desk.client.get("/api/v1/public-replies/" + caseId, desk.replierA.token()).status());
    Client.Response listed = desk.client.get("/api/v1/public-replies?limit=200", desk.replierB.token());
    assertFalse(listed.text().contains(caseId), listed::toString);
    assertEquals(400, desk.client.get("/api/v1/public-replies?status=maybe", desk.replierA.token()).status());
    assertEquals(400, desk.client.post("/api/v1/cases/" + caseId + "/publish", desk.replierA.token(),
      new JsonObject().put("question", List.of("不是文本"))).status());
  }

  private static void neverUnmasked(String text) {
    assertFalse(text.contains(ID_NUMBER), text);
    assertFalse(text.contains("1381234"), text);
    assertFalse(text.contains(NAME), text);
  }
}
