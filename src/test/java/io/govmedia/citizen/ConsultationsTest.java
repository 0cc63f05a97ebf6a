package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.govmedia.citizen.ConsultationFixtures.citizen;
import static io.govmedia.citizen.ConsultationFixtures.comment;
import static io.govmedia.citizen.ConsultationFixtures.commented;
import static io.govmedia.citizen.ConsultationFixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 意见征集 from opening to the published adoption summary, as staff and citizens see it. */
@DisplayName("Consultations on draft documents")
class ConsultationsTest {

  static Client client;
  static ConsultationFixtures fx;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fx = new ConsultationFixtures(client, "法制办");
  }

  @Test
  @DisplayName("an editor opens a draft for 30 days; citizens find it in the list with title, kind, period, an excerpt and the count, and read the draft's text")
  void citizensSeeAnOpenDraft() throws Exception {
    LocalDate today = ConsultationFixtures.today(Clock.systemUTC());
    String documentId = fx.draft("停车管理办法（征求意见稿）");
    Client.Response opened = fx.open(client, fx.editor, documentId, "rule", today, today.plusDays(29));
    assertEquals(201, opened.status(), opened::toString);
    String id = opened.json().getString("id");
    assertEquals("open", opened.json().getString("status"));
    String citizen = citizen("o-list-" + Client.unique());

    JsonObject listed = findListed(citizen, id);
    JsonObject detail = ok(client.get("/mp/v1/consultations/" + id, citizen));

    assertEquals("停车管理办法（征求意见稿）", listed.getString("title"));
    assertEquals("rule", listed.getString("kind"));
    assertEquals(today.toString(), listed.getString("from"));
    assertEquals(today.plusDays(29).toString(), listed.getString("to"));
    assertTrue(listed.getString("excerpt").startsWith("第一条 为规范城市停车管理"), listed::encode);
    assertEquals(0, listed.getLong("commentCount"));
    assertFalse(listed.containsKey("body"), "the list stays small");
    assertTrue(detail.getString("body").contains("第二条 本办法适用于本市行政区域"), detail::encode);
    assertNull(detail.getValue("summary"));
  }

  @Test
  @DisplayName("a comment answers 201 and is counted; each citizen lists only their own comments, and staff see who wrote what only as a reference, never the openid")
  void commentsAreTheirAuthorsOwn() throws Exception {
    String id = fx.openToday(client, Clock.systemUTC(), "养犬管理规定（征求意见稿）");
    String aliceOpenid = "o-alice-" + Client.unique();
    String alice = citizen(aliceOpenid);
    String bob = citizen("o-bob-" + Client.unique());

    Client.Response first = comment(client, alice, id, "建议第三条增加夜间遛狗须牵绳的规定。");
    String second = commented(client, alice, id, "建议明确犬只登记的办理地点。");
    String bobs = commented(client, bob, id, "希望增设犬只活动区域。");

    assertEquals(201, first.status(), first::toString);
    assertEquals("shown", first.json().getString("status"));
    JsonArray alicesList = ok(client.get("/mp/v1/consultations/" + id + "/comments", alice)).getJsonArray("items");
    assertEquals(List.of(second, first.json().getString("id")), ids(alicesList), "hers, newest first");
    assertEquals(List.of(bobs), ids(ok(client.get("/mp/v1/consultations/" + id + "/comments", bob)).getJsonArray("items")));
    assertEquals(3, findListed(alice, id).getLong("commentCount"));

    Client.Response staffList = client.get("/api/v1/consultations/" + id + "/comments", fx.editor);
    JsonArray all = ok(staffList).getJsonArray("items");
    assertEquals(List.of(first.json().getString("id"), second, bobs), ids(all), "all of them, oldest first");
    assertEquals(all.getJsonObject(0).getString("commenter"), all.getJsonObject(1).getString("commenter"));
    assertFalse(all.getJsonObject(0).getString("commenter").equals(all.getJsonObject(2).getString("commenter")));
    assertFalse(staffList.text().contains(aliceOpenid), "no openid in clear");
  }

  @Test
  @DisplayName("staff page through many comments with the cursor, each once, in the order they came")
  void commentsArePaged() throws Exception {
    String id = fx.openToday(client, Clock.systemUTC(), "物业管理条例（征求意见稿）");
    List<String> written = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      written.add(commented(client, citizen("o-page-" + i + Client.unique()), id, "第 " + i + " 条意见"));
    }

    List<String> read = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = ok(client.get("/api/v1/consultations/" + id + "/comments?limit=3"
        + (cursor == null ? "" : "&cursor=" + cursor), fx.editor));
      read.addAll(ids(page.getJsonArray("items")));
      cursor = page.getString("next");
    } while (cursor != null);

    assertEquals(written, read);
  }

  @Test
  @DisplayName("from comments to 采纳情况: reasons required, summary refused until the period ends and every comment is decided, then published masked and shown with the final document")
  void adoptionSummary() throws Exception {
    MovableClock clock = new MovableClock();
    try (Main.Running server = TestServer.get().startAnother(Map.of(), clock)) {
      Client own = new Client(server.port());
      String documentId = fx.draft("电动自行车管理规定（征求意见稿）");
      LocalDate today = ConsultationFixtures.today(clock);
      String id = ok201(fx.open(own, fx.editor, documentId, "other", today, today)).getString("id");
      String path = "/api/v1/consultations/" + id;
      String alice = citizen(server, "o-sum-a-" + Client.unique());
      String adopted = commented(own, alice, id, "建议增加充电桩，我叫张三，电话13812345678，请联系我。");
      String partly = commented(own, citizen(server, "o-sum-b-" + Client.unique()), id, "建议放宽限速至每小时 30 公里。");
      String rejected = commented(own, citizen(server, "o-sum-c-" + Client.unique()), id, "建议取消登记。");

      Client.Response noReason = own.post(path + "/comments/" + partly + "/adoption", fx.editor,
        new JsonObject().put("decision", "partly"));
      ok(own.post(path + "/comments/" + adopted + "/adoption", fx.editor, new JsonObject().put("decision", "not_adopted")
        .put("reason", "先不采纳")));
      ok(own.post(path + "/comments/" + adopted + "/adoption", fx.editor, new JsonObject().put("decision", "adopted")));
      ok(own.post(path + "/comments/" + partly + "/adoption", fx.editor, new JsonObject().put("decision", "partly")
        .put("reason", "限速调整为每小时 25 公里")));
      Client.Response duringPeriod = own.post(path + "/summary", fx.editor, new JsonObject());
      clock.advance(Duration.ofDays(1));
      String editor = own.login(fx.editorName, fx.editorPassword);
      Client.Response undecided = own.post(path + "/summary", editor, new JsonObject());
      ok(own.post(path + "/comments/" + rejected + "/adoption", editor, new JsonObject().put("decision", "not_adopted")
        .put("reason", "登记是法定要求")));
      JsonObject published = ok(own.post(path + "/summary", editor, new JsonObject()));
      Client.Response changeAfter = own.post(path + "/comments/" + rejected + "/adoption", editor,
        new JsonObject().put("decision", "adopted"));

      assertEquals(400, noReason.status(), noReason::toString);
      assertEquals(409, duringPeriod.status(), duringPeriod::toString);
      assertEquals("consultation-not-ended", duringPeriod.problemCode());
      assertEquals(409, undecided.status(), undecided::toString);
      assertEquals("comments-undecided", undecided.problemCode());
      assertEquals(1, undecided.json().getInteger("undecided"));
      assertEquals(List.of(rejected), undecided.json().getJsonArray("commentIds").getList());
      assertEquals("summarized", published.getString("status"));
      JsonObject summary = published.getJsonObject("summary");
      assertEquals(3, summary.getInteger("total"));
      assertEquals(1, summary.getInteger("adopted"));
      assertEquals(1, summary.getInteger("partly"));
      assertEquals(1, summary.getInteger("notAdopted"));
      JsonArray items = summary.getJsonArray("items");
      assertEquals(2, items.size(), "only the adopted and partly adopted comments are published");
      String gist = items.getJsonObject(0).getString("gist");
      assertTrue(gist.contains("138****5678") && gist.contains("张*") && !gist.contains("13812345678"), gist);
      assertEquals("限速调整为每小时 25 公里", items.getJsonObject(1).getString("reason"));
      assertEquals(409, changeAfter.status(), changeAfter::toString);
      assertEquals("summary-published", changeAfter.problemCode());

      // Shown on the staff view at once; to the public and in the mini-program once the document is published.
      JsonObject staffView = ok(own.get("/api/v1/documents/" + documentId, editor));
      assertEquals(3, staffView.getJsonObject("consultation").getJsonObject("summary").getInteger("total"));
      JsonObject beforePublication = ok(own.get("/mp/v1/consultations/" + id, alice));
      assertNull(beforePublication.getValue("summary"), "not before the final document is out");
      fx.publish(client, documentId);
      String page = own.get("/p/" + documentId, null).text();
      JsonObject afterPublication = ok(own.get("/mp/v1/consultations/" + id, alice));
      JsonArray mine = ok(own.get("/mp/v1/consultations/" + id + "/comments", alice)).getJsonArray("items");

      assertTrue(page.contains("意见征集采纳情况") && page.contains("采纳 1 条") && page.contains("138****5678"), page);
      assertFalse(page.contains("13812345678"), page);
      assertEquals(1, afterPublication.getJsonObject("summary").getInteger("adopted"));
      assertEquals("/p/" + documentId, afterPublication.getString("documentUrl"));
      assertEquals("adopted", mine.getJsonObject(0).getString("decision"), "the author learns what became of theirs");
    }
  }

  @Test
  @DisplayName("a comment WeChat wants a person to read is held: not counted, not decidable until accepted; a refused one stays out of the summary; risky text is refused with 422")
  void heldAndRefusedComments() throws Exception {
    String id = fx.openToday(client, Clock.systemUTC(), "噪声污染防治办法（征求意见稿）");
    String path = "/api/v1/consultations/" + id;
    String citizen = citizen("o-held-" + Client.unique());

    Client.Response held = comment(client, citizen, id, "这条意见" + ConsultationFixtures.HELD_WORD + "，请人工看看。");
    String second = commented(client, citizen(("o-held2-" + Client.unique())), id,
      "另一条" + ConsultationFixtures.HELD_WORD + "的意见。");
    Client.Response risky = comment(client, citizen, id, "这是" + ConsultationFixtures.RISKY_WORD + "内容。");
    String heldId = held.json().getString("id");
    Client.Response decideHeld = client.post(path + "/comments/" + heldId + "/adoption", fx.editor,
      new JsonObject().put("decision", "adopted"));
    long countWhileHeld = findListed(citizen, id).getLong("commentCount");
    JsonObject accepted = ok(client.post(path + "/comments/" + heldId + "/screening", fx.editor,
      new JsonObject().put("decision", "accept")));
    JsonObject refused = ok(client.post(path + "/comments/" + second + "/screening", fx.editor,
      new JsonObject().put("decision", "refuse")));
    Client.Response again = client.post(path + "/comments/" + second + "/screening", fx.editor,
      new JsonObject().put("decision", "accept"));

    assertEquals(201, held.status(), held::toString);
    assertEquals("held", held.json().getString("status"));
    assertEquals(422, risky.status(), risky::toString);
    assertEquals("content-refused", risky.problemCode());
    assertEquals(409, decideHeld.status(), decideHeld::toString);
    assertEquals("comment-held", decideHeld.problemCode());
    assertEquals(0, countWhileHeld);
    assertEquals("shown", accepted.getString("status"));
    assertEquals("refused", refused.getString("status"));
    assertEquals(409, again.status(), again::toString);
    assertEquals(1, findListed(citizen, id).getLong("commentCount"));
    assertEquals(List.of(heldId), ids(ok(client.get("/mp/v1/consultations/" + id + "/comments", citizen))
      .getJsonArray("items")), "the risky text was not kept");
  }

  @Test
  @DisplayName("a citizen's eleventh comment of the day is refused with 429")
  void dailyLimit() throws Exception {
    String id = fx.openToday(client, Clock.systemUTC(), "共享单车管理办法（征求意见稿）");
    String citizen = citizen("o-limit-" + Client.unique());
    for (int i = 1; i <= CitizenConsultationRoutes.PER_CITIZEN; i++) {
      commented(client, citizen, id, "第 " + i + " 条");
    }

    Client.Response eleventh = comment(client, citizen, id, "再来一条");

    assertEquals(429, eleventh.status(), eleventh::toString);
    assertEquals("too-many-messages", eleventh.problemCode());
  }

  @Test
  @DisplayName("when Redis loses the comment lists, staff and citizens still get every comment: the lists are rebuilt from the stored comments")
  void listsRebuiltAfterRedisLostThem() throws Exception {
    String id = fx.openToday(client, Clock.systemUTC(), "城市绿化条例（征求意见稿）");
    String citizen = citizen("o-lost-" + Client.unique());
    String first = commented(client, citizen, id, "建议增加口袋公园。");
    String second = commented(client, citizen("o-lost2-" + Client.unique()), id, "建议保护古树名木。");
    try (io.govmedia.platform.Redis redis = io.govmedia.platform.Redis.connect(TestServer.get().redisUri())) {
      List<String> keys = redis.sync().keys(io.govmedia.platform.Redis.PREFIX + "mp:consult:" + id + ":*");
      assertFalse(keys.isEmpty());
      redis.sync().del(keys.toArray(String[]::new));
    }

    JsonArray all = ok(client.get("/api/v1/consultations/" + id + "/comments", fx.editor)).getJsonArray("items");
    JsonArray mine = ok(client.get("/mp/v1/consultations/" + id + "/comments", citizen)).getJsonArray("items");

    assertEquals(List.of(first, second), ids(all));
    assertEquals(List.of(first), ids(mine));
  }

  static JsonObject ok201(Client.Response response) {
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  /** The consultation as the citizens' list shows it, paging until found. */
  static JsonObject findListed(String citizen, String id) {
    String cursor = null;
    do {
      JsonObject page = ok(client.get("/mp/v1/consultations?limit=50" + (cursor == null ? "" : "&cursor=" + cursor),
        citizen));
      for (Object item : page.getJsonArray("items")) {
        if (id.equals(((JsonObject) item).getString("id"))) {
          return (JsonObject) item;
        }
      }
      cursor = page.getString("next");
    } while (cursor != null);
    throw new AssertionError("consultation " + id + " not listed");
  }
}
