package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Following a message to its answer: the citizen's own list, newest first and paged; one case with the replies
 * sent to them and nothing internal; follow-ups on the same case; the rating by the inbox's rules.
 */
@DisplayName("Following a message in the mini-program")
class FollowingTest {

  static MiniappDesk desk;

  @BeforeAll
  static void start() {
    desk = MiniappDesk.get();
  }

  @Test
  @DisplayName("my messages lists only my cases, newest first, page by page, each with number, status, a Chinese timeline and the answer-by time")
  void listsMineNewestFirst() {
    MiniappDesk.Citizen citizen = desk.citizen();
    MiniappDesk.Citizen other = desk.citizen();
    List<String> filed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      filed.add(desk.filed(citizen, "第 " + i + " 件事 " + Client.unique()));
    }
    desk.filed(other, "别人的事 " + Client.unique());

    List<String> listed = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 5 && cursor != null; page++) {
      Client.Response response = desk.client.get("/mp/v1/messages?limit=2&cursor=" + cursor, citizen.token());
      assertEquals(200, response.status(), response::toString);
      response.items().forEach(item -> listed.add(((JsonObject) item).getString("id")));
      cursor = response.json().getString("next");
    }

    assertEquals(List.of(filed.get(2), filed.get(1), filed.get(0)), listed);
    JsonObject first = desk.client.get("/mp/v1/messages?limit=1", citizen.token()).items().getJsonObject(0);
    assertEquals("complaint", first.getString("category"));
    assertTrue(first.getString("number") != null && first.getString("dueAt") != null, first::encode);
    assertEquals("已受理", first.getJsonArray("timeline").getJsonObject(0).getString("status"));
    assertEquals("已受理", first.getString("statusLabel"));
  }

  @Test
  @DisplayName("another citizen's case, an unknown id and a malformed id get the same 404, on reading, following up and rating")
  void othersCasesAreNotFound() {
    MiniappDesk.Citizen owner = desk.citizen();
    MiniappDesk.Citizen stranger = desk.citizen();
    String caseId = desk.filed(owner, "我的私事 " + Client.unique());

    List<String> answers = new ArrayList<>();
    for (String id : List.of(caseId, "0123456789abcdef01234567", "not-an-id")) {
      Client.Response read = desk.client.get("/mp/v1/messages/" + id, stranger.token());
      Client.Response followUp = desk.post(stranger, "/mp/v1/messages/" + id + "/followups",
        new JsonObject().put("content", "追加"), null, "10.0.1.1");
      Client.Response rating = desk.post(stranger, "/mp/v1/messages/" + id + "/rating",
        new JsonObject().put("rating", "satisfied"), null, "10.0.1.1");
      for (Client.Response r : List.of(read, followUp, rating)) {
        answers.add(r.status() + " " + r.problemCode() + " " + r.json().getString("title"));
      }
    }
    assertEquals(List.of("404 not-found 未找到留言"), answers.stream().distinct().toList());
  }

  @Test
  @DisplayName("the citizen reads the reply sent to them, with a timeline that ends answered, and no staff names or internal history")
  void repliesIncludedNothingInternal() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String caseId = desk.filed(citizen, "人行道上的井盖松动 " + Client.unique());
    desk.answered(caseId, "您好，井盖已于今日更换加固，感谢您的反映。");

    JsonObject mine = desk.citizenView(citizen, caseId);
    JsonArray replies = mine.getJsonArray("replies");
    assertEquals(1, replies.size(), mine::encode);
    assertTrue(replies.getJsonObject(0).getString("text").startsWith("您好，井盖已于今日更换加固"), mine::encode);
    assertEquals("answered", mine.getString("status"));
    JsonArray timeline = mine.getJsonArray("timeline");
    assertEquals("已答复", timeline.getJsonObject(timeline.size() - 1).getString("status"));
    assertTrue(mine.getBoolean("canRate"), mine::encode);
    for (String internal : List.of("history", "authorName", "assigneeId", "departmentId", "byName", "openid",
      "测试人员", desk.department)) {
      assertFalse(mine.encode().contains(internal), () -> internal + " in " + mine.encode());
    }
  }

  @Test
  @DisplayName("a follow-up joins the same case (staff see both messages), and a closed case takes none (409 case-closed)")
  void followUps() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String caseId = desk.filed(citizen, "公交站台灯不亮 " + Client.unique());

    Client.Response added = desk.post(citizen, "/mp/v1/messages/" + caseId + "/followups",
      new JsonObject().put("content", "补充：是 3 路车的站台"), "f-" + Client.unique(), "10.0.1.2");

    assertEquals(201, added.status(), added::toString);
    assertEquals(2, added.json().getJsonArray("messages").size(), added::toString);
    JsonArray staffMessages = desk.staffView(caseId).getJsonArray("messages");
    assertEquals(List.of(2, "补充：是 3 路车的站台"), List.of(staffMessages.size(),
      staffMessages.getJsonObject(1).getString("text")));

    MiniappDesk.ok(desk.act(desk.dispatcher, caseId, "close", new JsonObject().put("reason", "重复留言")));
    Client.Response refused = desk.post(citizen, "/mp/v1/messages/" + caseId + "/followups",
      new JsonObject().put("content", "还没修好"), null, "10.0.1.2");
    assertEquals(List.of(409, "case-closed"), List.of(refused.status(), refused.problemCode()), refused::toString);
  }

  @Test
  @DisplayName("rating satisfied closes the case, and a second rating is refused; unsatisfied reopens it to the department under supervision")
  void rating() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String satisfied = desk.filed(citizen, "路灯不亮 " + Client.unique());
    desk.answered(satisfied, "已修复。");
    String unsatisfied = desk.filed(citizen, "噪音扰民 " + Client.unique());
    desk.answered(unsatisfied, "已告知施工方。");

    Client.Response rated = desk.post(citizen, "/mp/v1/messages/" + satisfied + "/rating",
      new JsonObject().put("rating", "satisfied").put("comment", "很快"), null, "10.0.1.3");
    Client.Response again = desk.post(citizen, "/mp/v1/messages/" + satisfied + "/rating",
      new JsonObject().put("rating", "basically"), null, "10.0.1.3");
    Client.Response reopened = desk.post(citizen, "/mp/v1/messages/" + unsatisfied + "/rating",
      new JsonObject().put("rating", "unsatisfied").put("comment", "还是很吵"), null, "10.0.1.3");

    assertEquals(200, rated.status(), rated::toString);
    assertEquals(List.of("closed", "satisfied", false), List.of(rated.json().getString("status"),
      rated.json().getJsonObject("rating").getString("value"), rated.json().getBoolean("canRate")));
    assertEquals(409, again.status(), again::toString);
    assertEquals(200, reopened.status(), reopened::toString);
    JsonObject staff = desk.staffView(unsatisfied);
    assertEquals("assigned", staff.getString("status"));
    assertTrue(staff.getJsonArray("flags").contains("supervised"), staff::encode);
    assertEquals("miniapp", staff.getJsonObject("rating").getString("via"));
  }

  @Test
  @DisplayName("a rating later than 7 days after the reply reached the citizen is refused 409 rating-closed")
  void ratingWindow() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String caseId = desk.filed(citizen, "树枝挡住红绿灯 " + Client.unique());
    desk.answered(caseId, "已修剪。");
    desk.clock.advance(Duration.ofDays(7).plusHours(1));
    try {
      Client.Response late = desk.post(desk.signedInAgain(citizen), "/mp/v1/messages/" + caseId + "/rating",
        new JsonObject().put("rating", "satisfied"), null, "10.0.1.4");
      assertTrue(late.status() == 409 && List.of("rating-closed", "action-not-allowed").contains(late.problemCode()),
        late::toString);
    } finally {
      desk.clock.advance(Duration.ofDays(-7).minusHours(1));
    }
  }

  @Test
  @DisplayName("the same person (unionid) signed in to another of the office's mini-programs finds the case too; without the unionid nobody else does")
  void foundByUnionid() {
    MiniappDesk.Citizen citizen = desk.citizen();
    String caseId = desk.filed(citizen, "社区医院预约难 " + Client.unique());
    MiniappDesk.Citizen sameElsewhere = desk.citizenOf("0123456789abcdef0123abcd", "wx" + MiniappDesk.hex(8),
      citizen.unionid());
    MiniappDesk.Citizen noUnionid = desk.citizen(null);

    Client.Response listed = desk.client.get("/mp/v1/messages", sameElsewhere.token());
    assertEquals(List.of(caseId), listed.items().stream().map(i -> ((JsonObject) i).getString("id")).toList());
    assertEquals(200, desk.client.get("/mp/v1/messages/" + caseId, sameElsewhere.token()).status());
    assertEquals(0, desk.client.get("/mp/v1/messages", noUnionid.token()).items().size());
    assertNull(desk.client.get("/mp/v1/messages", noUnionid.token()).json().getString("next"));
  }
}
