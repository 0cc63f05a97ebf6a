package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public Q&A in the mini-program: published replies only, masked, newest first, paged. */
@DisplayName("Public replies in the mini-program")
class PublicRepliesTest {

  static MiniappDesk desk;

  @BeforeAll
  static void start() {
    desk = MiniappDesk.get();
  }

  /** A consenting citizen's message with their ID and mobile numbers in it, answered: its case id. */
  static String answered(MiniappDesk.Citizen citizen) {
    String caseId = desk.filed(citizen, "我的身份证号 11010519491231002X，电话 13812345678。小区电梯经常停运 " + Client.unique());
    desk.answered(caseId, "经查，物业已更换电梯主板。");
    return caseId;
  }

  @Test
  @DisplayName("a published reply is listed and readable with the ID and mobile numbers masked; one still in review is neither listed nor readable")
  void publishedOnlyMasked() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String published = answered(citizen);
    String pending = answered(citizen);
    Client.Response asked = desk.client.post("/api/v1/cases/" + published + "/publish", desk.replier, new JsonObject());
    assertEquals(201, asked.status(), asked::toString);
    Client.Response approved = desk.client.post("/api/v1/public-replies/" + published + "/approve", desk.supervisor,
      new JsonObject());
    assertEquals(200, approved.status(), approved::toString);
    assertEquals(201, desk.client.post("/api/v1/cases/" + pending + "/publish", desk.replier, new JsonObject()).status());
    MiniappDesk.Citizen reader = desk.citizen();

    List<String> listed = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 100 && cursor != null; page++) {
      Client.Response response = desk.client.get("/mp/v1/public-replies?limit=50&cursor=" + cursor, reader.token());
      assertEquals(200, response.status(), response::toString);
      response.items().forEach(item -> listed.add(((JsonObject) item).getString("id")));
      cursor = response.json().getString("next");
    }
    Client.Response one = desk.client.get("/mp/v1/public-replies/" + published, reader.token());
    Client.Response inReview = desk.client.get("/mp/v1/public-replies/" + pending, reader.token());

    assertTrue(listed.contains(published), listed::toString);
    assertFalse(listed.contains(pending), listed::toString);
    assertEquals(200, one.status(), one::toString);
    JsonObject record = one.json();
    assertTrue(record.getString("question").contains("110105********002X"), record::encode);
    assertTrue(record.getString("question").contains("138****5678"), record::encode);
    assertEquals("经查，物业已更换电梯主板。", record.getString("reply"));
    assertFalse(record.encode().contains("13812345678") || record.encode().contains("11010519491231002X"),
      record::encode);
    assertTrue(record.getString("departmentName").startsWith("城管局"), record::encode);
    assertFalse(record.containsKey("requestedBy") || record.containsKey("review"), record::encode);
    assertEquals(List.of(404, "not-found"), List.of(inReview.status(), inReview.problemCode()), inReview::toString);
  }

  @Test
  @DisplayName("an unknown, a malformed id and a bad cursor are answered 404, 404 and 400, and the list needs a session")
  void badIds() {
    MiniappDesk.Citizen reader = desk.citizen();
    assertEquals(404, desk.client.get("/mp/v1/public-replies/0123456789abcdef01234567", reader.token()).status());
    assertEquals(404, desk.client.get("/mp/v1/public-replies/%24ne", reader.token()).status());
    Client.Response cursor = desk.client.get("/mp/v1/public-replies?cursor=zzz", reader.token());
    assertEquals(List.of(400, "invalid-cursor"), List.of(cursor.status(), cursor.problemCode()), cursor::toString);
    Client.Response anonymous = desk.client.get("/mp/v1/public-replies", null);
    assertEquals(List.of(401, "session-invalid"), List.of(anonymous.status(), anonymous.problemCode()));
  }
}
