package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leaving a message in the mini-program: it becomes a case in the inbox with its number and answer-by time; weak
 * networks' resends make no second case; WeChat's text check refuses risky text and holds text for review until
 * staff release it; the daily limits hold.
 */
@DisplayName("Leaving a message in the mini-program")
class MessagesTest {

  static MiniappDesk desk;

  @BeforeAll
  static void start() {
    desk = MiniappDesk.get();
  }

  @Test
  @DisplayName("a message is answered 201 with its case number and answer-by time, and staff find it in the inbox as the citizen's mini-program case with the phone masked")
  void filedAsCase() {
    MiniappDesk.Citizen citizen = desk.citizen();
    Client.Response sent = desk.send(citizen, MiniappDesk.message("小区门口的路灯坏了一个月 " + Client.unique())
      .put("contactPhone", "13812345678").put("subscribeTemplateIds", new JsonArray().add("tmpl-reply-1")));

    assertEquals(201, sent.status(), sent::toString);
    JsonObject answer = sent.json();
    assertNotNull(answer.getString("id"));
    assertTrue(answer.getString("number").matches("\\d{4}-\\d+|.*\\d+.*"), answer::encode);
    assertNotNull(answer.getString("dueAt"));
    JsonObject staff = desk.staffView(answer.getString("id"));
    assertEquals(List.of("miniapp", "complaint", answer.getString("number")),
      List.of(staff.getString("channel"), staff.getString("category"), staff.getString("number")));
    assertEquals(desk.accountId, staff.getString("accountId"));
    assertEquals(List.of(citizen.openid(), citizen.unionid()), List.of(staff.getJsonObject("citizen").getString("openid"),
      staff.getJsonObject("citizen").getString("unionid")));
    assertEquals("138****5678", staff.getJsonObject("contact").getString("phone"));
    assertTrue(staff.getBoolean("consent"));
    assertFalse(staff.encode().contains("13812345678"), staff::encode);
    assertTrue(MiniappDesk.hasStep(staff, "acknowledged"), staff::encode);
    org.bson.Document stored = StoreAccess.first(StoreAccess.collection("cases").find(eq("_id", answer.getString("id"))));
    assertEquals(List.of("tmpl-reply-1"), stored.get("replyTarget", org.bson.Document.class)
      .getList("subscribeTemplateIds", String.class), "kept for the subscribe message of the reply");
  }

  @Test
  @DisplayName("a resend with the same Idempotency-Key answers the first case, and the same key with another text is refused 422")
  void resendAnswersTheFirst() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String key = "k-" + Client.unique();
    JsonObject body = MiniappDesk.message("垃圾清运不及时 " + Client.unique());

    Client.Response first = desk.send(citizen, body, key, "10.0.0.2");
    Client.Response again = desk.send(citizen, body, key, "10.0.0.2");
    Client.Response other = desk.send(citizen, MiniappDesk.message("另一件事 " + Client.unique()), key, "10.0.0.2");

    assertEquals(201, first.status(), first::toString);
    assertEquals(201, again.status(), again::toString);
    assertEquals(List.of(first.json().getString("id"), first.json().getString("number")),
      List.of(again.json().getString("id"), again.json().getString("number")));
    assertEquals(List.of(422, "idempotency-key-reused"), List.of(other.status(), other.problemCode()), other::toString);
    assertEquals(1, desk.client.get("/mp/v1/messages", citizen.token()).items().size());
  }

  @Test
  @DisplayName("an information request needs the applicant's name, ID number and contact, which staff see masked only")
  void disclosureRequestNeedsTheApplicant() {
    MiniappDesk.Citizen citizen = desk.citizen();
    JsonObject body = MiniappDesk.message("申请公开本区 2025 年老旧小区改造资金使用情况").put("category", "disclosure_request");

    Client.Response without = desk.send(citizen, body.copy());
    Client.Response with = desk.send(citizen, body.copy().put("applicant", new JsonObject().put("name", "张三丰")
      .put("idNumber", "11010519491231002X").put("contact", "13912345678")));

    assertEquals(List.of(400, "invalid-body"), List.of(without.status(), without.problemCode()), without::toString);
    assertEquals(201, with.status(), with::toString);
    JsonObject staff = desk.staffView(with.json().getString("id"));
    assertEquals("disclosure_request", staff.getString("category"));
    JsonObject contact = staff.getJsonObject("contact");
    assertEquals(List.of("张**", "110105********002X", "139****5678"),
      List.of(contact.getString("name"), contact.getString("idNumber"), contact.getString("phone")));
    assertFalse(staff.encode().contains("11010519491231002X"), staff::encode);
  }

  @Test
  @DisplayName("text WeChat finds risky is refused 422 content-refused with a Chinese title, and nothing is stored")
  void riskyRefused() {
    MiniappDesk.Citizen citizen = desk.citizen();
    Client.Response refused = desk.send(citizen, MiniappDesk.message(Screenings.RISKY + " 违规内容 " + Client.unique()));

    assertEquals(List.of(422, "content-refused"), List.of(refused.status(), refused.problemCode()), refused::toString);
    assertTrue(refused.json().getString("title").contains("内容安全"), refused::toString);
    assertEquals(0, desk.client.get("/mp/v1/messages", citizen.token()).items().size());
  }

  @Test
  @DisplayName("text WeChat sends for review is filed but held at dispatch, unrouted, until a dispatcher releases it")
  void reviewHeld() {
    MiniappDesk.Citizen citizen = desk.citizen();
    Client.Response sent = desk.send(citizen, MiniappDesk.message(Screenings.REVIEW + " 需要复核的内容 " + Client.unique()));

    assertEquals(201, sent.status(), sent::toString);
    assertTrue(sent.json().getBoolean("held"), sent::toString);
    String caseId = sent.json().getString("id");
    JsonObject staff = desk.staffView(caseId);
    assertEquals("dispatching", staff.getString("status"));
    assertTrue(staff.getJsonArray("flags").contains("held_for_review"), staff::encode);
    assertTrue(MiniappDesk.hasStep(staff, "held"), staff::encode);

    Client.Response assign = desk.act(desk.dispatcher, caseId, "assign", new JsonObject().put("departmentId", desk.department));
    assertEquals(List.of(409, "held-for-review"), List.of(assign.status(), assign.problemCode()), assign::toString);
    Client.Response byReplier = desk.act(desk.replier, caseId, "release", new JsonObject());
    assertTrue(byReplier.status() == 403 || byReplier.status() == 404, byReplier::toString);

    Client.Response released = desk.act(desk.dispatcher, caseId, "release", new JsonObject().put("reason", "内容无问题"));
    MiniappDesk.ok(released);
    assertFalse(released.json().getJsonArray("flags").contains("held_for_review"), released::toString);
    MiniappDesk.ok(desk.act(desk.dispatcher, caseId, "assign", new JsonObject().put("departmentId", desk.department)));
    Client.Response again = desk.act(desk.dispatcher, caseId, "release", new JsonObject());
    assertEquals(List.of(409, "not-held"), List.of(again.status(), again.problemCode()), again::toString);
  }

  @Test
  @DisplayName("the eleventh message of a citizen in a day is refused 429 too-many-messages, and so is one over an address's limit")
  void dailyLimits() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String address = "10.1." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    for (int i = 0; i < 10; i++) {
      Client.Response sent = desk.send(citizen, MiniappDesk.message("第 " + i + " 条 " + Client.unique()), null, address);
      assertEquals(201, sent.status(), sent::toString);
    }
    Client.Response eleventh = desk.send(citizen, MiniappDesk.message("第 11 条 " + Client.unique()), null, address);
    assertEquals(List.of(429, "too-many-messages"), List.of(eleventh.status(), eleventh.problemCode()), eleventh::toString);

    // the same address, other citizens: 50 a day in all
    String shared = "10.2." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    int accepted = 0;
    Client.Response last = null;
    for (int i = 0; i < 6 && (last == null || last.status() == 201); i++) {
      MiniappDesk.Citizen next = desk.citizen();
      for (int j = 0; j < 10 && (last == null || last.status() == 201); j++) {
        last = desk.send(next, MiniappDesk.message("同一地址 " + Client.unique()), null, shared);
        accepted += last.status() == 201 ? 1 : 0;
      }
    }
    assertEquals(50, accepted);
    assertEquals(List.of(429, "too-many-messages"), List.of(last.status(), last.problemCode()), last::toString);
  }

  /** The check WeChat received for the citizen's image (the image's signed URL, the trace id). */
  static JsonObject imageCheck(MiniappDesk.Citizen citizen, String assetId) {
    return TestServer.get().wechat().miniapp().mediaChecks(citizen.openid()).stream().map(c -> c.body())
      .filter(b -> b.getString("media_url").contains("/media/" + assetId + "?")).findFirst()
      .orElseThrow(() -> new AssertionError("no image check for " + assetId));
  }

  @Test
  @DisplayName("each uploaded image goes to WeChat's image check with a signed link WeChat can fetch, and an image it passes stays on the case for staff")
  void imageChecked() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String image = Images.uploaded(desk, citizen);
    JsonObject check = imageCheck(citizen, image);
    String url = check.getString("media_url");
    assertTrue(url.startsWith("https://" + TestServer.PUBLIC_HOST + "/media/" + image + "?expires="), url);
    Client.Response fetched = desk.client.get(url.substring(url.indexOf("/media/")), null);
    assertEquals(200, fetched.status(), fetched::toString);
    assertEquals("image/png", fetched.contentType());
    Client.Response unsigned = desk.client.get("/media/" + image, null);
    assertEquals(404, unsigned.status(), "a citizen's image is not public: " + unsigned);

    String caseId = desk.filed(citizen, MiniappDesk.message("现场照片 " + Client.unique())
      .put("assetIds", new JsonArray().add(image)));
    TestServer.get().wechat().miniapp().pushVerdict(check.getString("trace_id"), "pass", 100);

    assertEquals(List.of(image), desk.staffView(caseId).getJsonArray("attachments").getList());
    JsonObject mine = desk.citizenView(citizen, caseId);
    JsonObject shown = mine.getJsonArray("messages").getJsonObject(0).getJsonArray("images").getJsonObject(0);
    assertEquals(List.of(image, false), List.of(shown.getString("id"), shown.getBoolean("withheld")));
    assertEquals(200, desk.client.get(shown.getString("url"), null).status());
    assertFalse(desk.client.get("/api/v1/assets?limit=200", desk.admin).text().contains(image),
      "citizens' images are not in the office's library");
  }

  @Test
  @DisplayName("an image WeChat flags after the message was filed is withheld from staff (the history says so) and marked on the citizen's message")
  void flaggedImageWithheld() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String kept = Images.uploaded(desk, citizen);
    String flagged = Images.uploaded(desk, citizen);
    String caseId = desk.filed(citizen, MiniappDesk.message("两张照片 " + Client.unique())
      .put("assetIds", new JsonArray().add(kept).add(flagged)));

    var answer = TestServer.get().wechat().miniapp().pushVerdict(imageCheck(citizen, flagged).getString("trace_id"),
      "risky", 20002);
    assertEquals(200, answer.status(), answer::toString);

    JsonObject staff = MiniappDesk.eventually(() -> desk.staffView(caseId), c -> MiniappDesk.hasStep(c, "image-withheld"));
    assertEquals(List.of(kept), staff.getJsonArray("attachments").getList());
    assertEquals(List.of(kept), staff.getJsonArray("messages").getJsonObject(0).getJsonArray("attachments").getList());
    assertFalse(staff.encode().contains(flagged), staff::encode);
    JsonArray images = desk.citizenView(citizen, caseId).getJsonArray("messages").getJsonObject(0).getJsonArray("images");
    assertEquals(List.of(false, true), List.of(images.getJsonObject(0).getBoolean("withheld"),
      images.getJsonObject(1).getBoolean("withheld")));
    assertEquals(flagged, images.getJsonObject(1).getString("id"));
  }

  @Test
  @DisplayName("an image WeChat flagged before the message was sent is withheld from the start")
  void flaggedBeforeFiling() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String flagged = Images.uploaded(desk, citizen);
    TestServer.get().wechat().miniapp().pushVerdict(imageCheck(citizen, flagged).getString("trace_id"), "review", 20006);

    // the push is answered before the verdict is stored: wait for it as the next message would meet it
    MiniappDesk.eventually(() -> StoreAccess.first(StoreAccess.collection("citizen_assets").find(eq("_id", flagged))),
      d -> "review".equals(d.getString("verdict")));
    String caseId = desk.filed(citizen, MiniappDesk.message("照片 " + Client.unique())
      .put("assetIds", new JsonArray().add(flagged)));

    JsonObject image = desk.citizenView(citizen, caseId).getJsonArray("messages").getJsonObject(0)
      .getJsonArray("images").getJsonObject(0);
    assertEquals(List.of(flagged, true), List.of(image.getString("id"), image.getBoolean("withheld")));
    assertNull(image.getString("url"));
    assertEquals(List.of(), desk.staffView(caseId).getJsonArray("attachments").getList());
  }
}
