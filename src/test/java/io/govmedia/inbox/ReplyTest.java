package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replying to a case: the reply sent answers it with its delivery kept on the reply, drafts, the Idempotency-Key,
 * review where the department wants it, the content checks, and who may reply.
 */
@DisplayName("Replies")
class ReplyTest {

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

  @Test
  @DisplayName("a reply sent answers the case: the reply keeps its delivery (route, status, attempts) and the history says who replied")
  void replyAnswers() {
    JsonObject c = desk.wechatCase();
    JsonObject reply = desk.replied(c.getString("id"), "您好，路灯已报修，预计三日内修复。");

    assertEquals("sent", reply.getString("status"));
    JsonObject delivery = reply.getJsonObject("delivery");
    assertNotNull(delivery.getString("route"), reply::encode);
    assertNotNull(delivery.getJsonArray("attempts"));
    assertNotNull(reply.getString("reachedAt"), "the citizen's channel reaches them: " + reply.encode());
    assertEquals("wechat_kf", delivery.getString("route"), "inside the 48 hours: a customer-service message");
    assertEquals("delivered", delivery.getString("status"));
    String openid = desk.read(c.getString("id")).getJsonObject("citizen").getString("openid");
    assertTrue(TestServer.get().wechat().kefuMessages(desk.appId()).stream().anyMatch(m ->
      openid.equals(m.getString("touser")) && m.getJsonObject("text").getString("content").contains(c.getString("number"))
        && m.getJsonObject("text").getString("content").contains("路灯已报修")), "the kf message carries the number");

    JsonObject answered = desk.read(c.getString("id"));
    assertEquals("answered", answered.getString("status"));
    assertFalse(answered.getJsonArray("flags").contains("delivery-failed"), answered::encode);
    JsonObject stored = answered.getJsonArray("replies").getJsonObject(0);
    assertEquals(reply.getString("id"), stored.getString("id"));
    assertEquals(delivery, stored.getJsonObject("delivery"));
    assertTrue(answered.getJsonArray("history").stream().map(s -> (JsonObject) s).anyMatch(s ->
      "reply".equals(s.getString("action")) && desk.replierA.id().equals(s.getString("by"))
        && "answered".equals(s.getString("to"))), answered::encode);
    assertTrue(Replying.hasStep(answered, "delivered"), answered::encode);
  }

  @Test
  @DisplayName("the same Idempotency-Key and body answer the same reply once; another body with that key is a 422")
  void idempotent() {
    String caseId = desk.wechatCase().getString("id");
    String key = "r-" + Client.unique();
    JsonObject body = new JsonObject().put("text", "已转相关部门处理。");

    Client.Response first = desk.reply(desk.replierA, caseId, body, key);
    Client.Response repeat = desk.reply(desk.replierA, caseId, body, key);
    Client.Response other = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "另一段答复。"), key);

    assertEquals(201, first.status(), first::toString);
    assertEquals(201, repeat.status(), repeat::toString);
    assertEquals(first.json().getString("id"), repeat.json().getString("id"));
    assertEquals(422, other.status(), other::toString);
    assertEquals("idempotency-key-reused", other.problemCode());
    assertEquals(1, desk.read(caseId).getJsonArray("replies").size(), "one reply, sent once");
  }

  @Test
  @DisplayName("a draft is kept on the case without answering it, then updated and sent as the same reply")
  void draftThenSend() {
    String caseId = desk.phoneCase().getString("id");
    JsonObject draft = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "初稿").put("draft", true), null)
      .json();
    assertEquals("draft", draft.getString("status"));
    assertNull(draft.getJsonObject("delivery"));
    assertEquals("in_progress", desk.read(caseId).getString("status"));

    Client.Response sent = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "定稿：已安排夜间巡查。")
      .put("replyId", draft.getString("id")), null);
    assertEquals(201, sent.status(), sent::toString);
    assertEquals(draft.getString("id"), sent.json().getString("id"));
    assertEquals("定稿：已安排夜间巡查。", sent.json().getString("text"));
    JsonObject c = desk.read(caseId);
    assertEquals("answered", c.getString("status"));
    assertEquals(1, c.getJsonArray("replies").size());

    Client.Response again = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "再改")
      .put("replyId", draft.getString("id")).put("draft", true), null);
    assertEquals(409, again.status(), "an answered case takes no more drafts: " + again);
  }

  @Test
  @DisplayName("where the department reviews replies, one waits pending_review; the author may not approve it, a supervisor does and it goes out")
  void review() {
    String caseId = desk.phoneCase().getString("id");
    setReview(true);
    try {
      JsonObject pending = desk.replied(caseId, "经核实，已责令施工方停止夜间施工。");
      assertEquals("pending_review", pending.getString("status"));
      assertEquals("in_progress", desk.read(caseId).getString("status"));
      String path = "/api/v1/cases/" + caseId + "/replies/" + pending.getString("id");

      Client.Response byReplier = desk.client.post(path + "/approve", desk.otherReplierA.token(), new JsonObject());
      assertEquals(403, byReplier.status(), byReplier::toString);
      Client.Response rejected = desk.client.post(path + "/reject", desk.supervisor.token(),
        new JsonObject().put("reason", "请写明处理结果"));
      assertEquals(200, rejected.status(), rejected::toString);
      assertEquals("rejected", rejected.json().getString("status"));
      assertEquals("请写明处理结果", rejected.json().getJsonObject("review").getString("note"));

      Client.Response resubmitted = desk.reply(desk.replierA, caseId, new JsonObject()
        .put("text", "经核实，施工方已停止夜间施工，我局将持续巡查。").put("replyId", pending.getString("id")), null);
      assertEquals("pending_review", resubmitted.json().getString("status"));
      Client.Response approved = desk.client.post(path + "/approve", desk.supervisor.token(),
        new JsonObject().put("note", "同意"));
      assertEquals(200, approved.status(), approved::toString);
      assertEquals("sent", approved.json().getString("status"));
      assertNotNull(approved.json().getJsonObject("delivery"));
      assertEquals("answered", desk.read(caseId).getString("status"));
    } finally {
      setReview(false);
    }
  }

  @Test
  @DisplayName("a reply that reaches nobody (a phone case) leaves the case answered and flagged delivery-failed; sent again it is tried again; recording the call clears the flag")
  void deliveryFailed() {
    String caseId = desk.phoneCase().getString("id");
    JsonObject reply = desk.replied(caseId, "您好，已责令施工方整改。");
    assertEquals("failed", reply.getJsonObject("delivery").getString("status"), reply::encode);
    assertNull(reply.getValue("reachedAt"));
    JsonObject c = desk.read(caseId);
    assertEquals("answered", c.getString("status"));
    assertTrue(c.getJsonArray("flags").contains("delivery-failed"), c::encode);
    assertTrue(Replying.hasStep(c, "delivery-failed"), c::encode);
    assertTrue(Inbox.ids(desk.client, desk.replierA.token(), "status=answered&flag=delivery-failed").contains(caseId),
      "staff find the cases to follow up");

    String path = "/api/v1/cases/" + caseId + "/replies/" + reply.getString("id");
    Client.Response again = desk.client.post(path + "/redeliver", desk.replierA.token(), new JsonObject());
    assertEquals(200, again.status(), again::toString);
    assertEquals(2, again.json().getJsonArray("deliveries").size(), "each send kept with its attempts");
    Client.Response reached = desk.client.post(path + "/reached", desk.replierA.token(),
      new JsonObject().put("how", "phone").put("note", "已电话告知答复内容"));
    assertEquals(200, reached.status(), reached::toString);
    assertNotNull(reached.json().getString("reachedAt"));
    assertEquals("phone", reached.json().getJsonObject("reached").getString("how"));
    assertFalse(desk.read(caseId).getJsonArray("flags").contains("delivery-failed"));

    Client.Response notAgain = desk.client.post(path + "/redeliver", desk.replierA.token(), new JsonObject());
    assertEquals(409, notAgain.status(), notAgain::toString);
    assertEquals("not-redeliverable", notAgain.problemCode());
    assertEquals(409, desk.client.post(path + "/reached", desk.replierA.token(),
      new JsonObject().put("how", "sms").put("note", "再次")).status());
    assertEquals(400, desk.client.post(path + "/reached", desk.replierA.token(),
      new JsonObject().put("how", "pigeon").put("note", "x")).status());
  }

  @Test
  @DisplayName("a head of the department reviews its replies as a supervisor does")
  void headReviews() {
    String caseId = desk.phoneCase().getString("id");
    setReview(true);
    try {
      JsonObject pending = desk.replied(caseId, "经核实，噪音问题已解决。");
      Client.Response approved = desk.client.post("/api/v1/cases/" + caseId + "/replies/" + pending.getString("id")
        + "/approve", desk.headA.token(), new JsonObject());
      assertEquals(200, approved.status(), approved::toString);
      assertEquals(desk.headA.id(), approved.json().getJsonObject("review").getString("by"));
    } finally {
      setReview(false);
    }
  }

  @Test
  @DisplayName("a reviewer never approves their own reply")
  void noSelfReview() {
    String caseId = desk.phoneCase().getString("id");
    setReview(true);
    try {
      Client.Response written = desk.reply(desk.supervisor, caseId, new JsonObject().put("text", "督办人员撰写的答复。"), null);
      assertEquals("pending_review", written.json().getString("status"), written::toString);
      String path = "/api/v1/cases/" + caseId + "/replies/" + written.json().getString("id");
      Client.Response own = desk.client.post(path + "/approve", desk.supervisor.token(), new JsonObject());
      assertEquals(403, own.status(), own::toString);
      Client.Response other = desk.client.post(path + "/approve", desk.otherSupervisor.token(), new JsonObject());
      assertEquals(200, other.status(), other::toString);
    } finally {
      setReview(false);
    }
  }

  @Test
  @DisplayName("a blocking finding of the content checks (a mobile number) refuses the reply with the finding; the case stays unanswered")
  void contentChecks() {
    String caseId = desk.phoneCase().getString("id");
    Client.Response refused = desk.reply(desk.replierA, caseId,
      new JsonObject().put("text", "请联系经办人，电话 13912345678。"), null);

    assertEquals(422, refused.status(), refused::toString);
    assertEquals("blocking-findings", refused.problemCode());
    JsonArray findings = refused.json().getJsonArray("findings");
    assertEquals("mobile", findings.getJsonObject(0).getString("rule"));
    JsonObject c = desk.read(caseId);
    assertEquals("in_progress", c.getString("status"));
    assertTrue(c.getJsonArray("replies").isEmpty());
  }

  @Test
  @DisplayName("another department's replier gets 404 for the case; a replier outside it may not reply to an unassigned one")
  void scope() {
    String caseId = desk.phoneCase().getString("id");
    Client.Response other = desk.reply(desk.replierB, caseId, new JsonObject().put("text", "越权答复"), null);
    assertEquals(404, other.status(), other::toString);
    Client.Response unknown = desk.reply(desk.replierA, "0123456789abcdef01234567",
      new JsonObject().put("text", "答复"), null);
    assertEquals(404, unknown.status(), unknown::toString);
    Client.Response malformed = desk.reply(desk.replierA, "not-an-id", new JsonObject().put("text", "答复"), null);
    assertEquals(404, malformed.status(), malformed::toString);
  }

  @Test
  @DisplayName("bad bodies are 400 problems: no text, too long a text, a bad key, an unknown document, a canned reply out of reach")
  void badBodies() {
    String caseId = desk.phoneCase().getString("id");
    assertEquals(400, desk.reply(desk.replierA, caseId, new JsonObject(), null).status());
    assertEquals(400, desk.reply(desk.replierA, caseId, new JsonObject().put("text", "长".repeat(2001)), null).status());
    assertEquals(400, desk.reply(desk.replierA, caseId, new JsonObject().put("text", "答复").put("draft", "yes"), null)
      .status());
    Client.Response badKey = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "答复"), "bad/key");
    assertEquals(400, badKey.status(), badKey::toString);
    Client.Response unknownDocument = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "答复")
      .put("documentIds", List.of("0123456789abcdef01234567")), null);
    assertEquals(400, unknownDocument.status(), unknownDocument::toString);
    assertEquals("unknown-document", unknownDocument.problemCode());
    Client.Response canned = desk.client.post("/api/v1/canned-replies", desk.admin, new JsonObject()
      .put("departmentId", desk.departmentB).put("title", "住建局模板").put("text", "住建局的答复"));
    assertEquals(201, canned.status(), canned::toString);
    Client.Response outOfReach = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "答复")
      .put("cannedReplyId", canned.json().getString("id")), null);
    assertEquals(400, outOfReach.status(), outOfReach::toString);
    assertEquals("unknown-canned-reply", outOfReach.problemCode());
    assertTrue(desk.read(caseId).getJsonArray("replies").isEmpty());
  }

  @Test
  @DisplayName("a reply links published documents with their titles and public pages; a document not published is refused")
  void linkedDocuments() {
    String published = desk.publishedDocument("路灯维护管理办法");
    String caseId = desk.phoneCase().getString("id");
    Client.Response sent = desk.reply(desk.replierA, caseId, new JsonObject().put("text", "请参阅相关文件。")
      .put("documentIds", List.of(published)), null);
    assertEquals(201, sent.status(), sent::toString);
    JsonObject linked = sent.json().getJsonArray("documents").getJsonObject(0);
    assertEquals("路灯维护管理办法", linked.getString("title"));
    assertEquals("https://media.example.gov.cn/p/" + published, linked.getString("url"));

    Client.Response draftDocument = desk.client.post("/api/v1/documents", desk.admin, new JsonObject()
      .put("title", "未发布的办法").put("docNumber", "测〔2026〕1号").put("issuer", "市人民政府办公室")
      .put("departmentId", desk.departmentA).put("category", "综合政务").put("body", "<p>草稿</p>")
      .put("issuedAt", "2026-03-01T09:00:00+08:00"));
    assertEquals(201, draftDocument.status(), draftDocument::toString);
    Client.Response refused = desk.reply(desk.replierA, desk.phoneCase().getString("id"), new JsonObject()
      .put("text", "请参阅附件。").put("documentIds", List.of(draftDocument.json().getString("id"))), null);
    assertEquals(400, refused.status(), refused::toString);
    assertEquals("unknown-document", refused.problemCode());
  }

  private static void setReview(boolean review) {
    Client.Response saved = desk.client.raw("PUT", "/api/v1/reply-settings/" + desk.departmentA, desk.admin,
      "application/json", new JsonObject().put("review", review).encode().getBytes());
    assertEquals(200, saved.status(), saved::toString);
    assertEquals(review, saved.json().getBoolean("review"));
  }
}
