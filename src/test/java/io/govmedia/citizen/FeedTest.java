package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The citizens' feed")
class FeedTest {

  private static Client client;

  @BeforeAll
  static void server() {
    client = TestServer.get().client();
  }

  @Test
  @DisplayName("lists published interpretations newest first with title, digest, cover thumbnail, form and time, and leaves drafts out")
  void listsPublishedInterpretations() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于老旧小区改造的实施意见");
    String chart = room.image();
    String first = room.publishedInterpretation(document, "一图读懂老旧小区改造", "infographic", List.of(chart));
    String second = room.publishedInterpretation(document, "老旧小区改造问答", "qa", List.of());
    room.created("/api/v1/interpretations", new JsonObject().put("documentId", document).put("form", "text")
      .put("title", "尚在起草的解读").put("body", "<p>草稿</p>"));
    String citizen = room.citizen("o-feed-" + Client.unique());

    Client.Response feed = room.feed(citizen, "");
    assertEquals(200, feed.status(), feed::toString);
    JsonArray items = feed.json().getJsonArray("items");
    assertEquals(List.of(second, first), ids(items), feed::toString);
    assertNull(feed.json().getString("next"));
    JsonObject infographic = items.getJsonObject(1);
    assertEquals("interpretation", infographic.getString("kind"));
    assertEquals("一图读懂老旧小区改造", infographic.getString("title"));
    assertEquals("infographic", infographic.getString("form"));
    assertEquals("图解", infographic.getString("formLabel"));
    assertEquals("问答", items.getJsonObject(0).getString("formLabel"));
    assertTrue(infographic.getString("digest").startsWith("一图读懂老旧小区改造：政策要点"), infographic::encode);
    assertNotNull(infographic.getString("publishedAt"));
    String cover = infographic.getString("coverUrl");
    assertTrue(cover.endsWith("/media/" + chart + "/thumbnail"), cover);
    Client.Response thumbnail = client.get(Newsroom.path(cover), null);
    assertEquals(200, thumbnail.status(), "the cover loads without signing in");
    assertNull(items.getJsonObject(0).getString("coverUrl"), "no image, no cover");
  }

  @Test
  @DisplayName("pages with an opaque cursor that stays right when something new is published between two pages")
  void pagesStablyUnderNewPublications() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于促进就业的若干措施");
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      published.add(0, room.publishedInterpretation(document, "就业措施解读之" + i, "text", List.of()));
    }
    String citizen = room.citizen("o-page-" + Client.unique());

    Client.Response page1 = room.feed(citizen, "limit=2");
    assertEquals(published.subList(0, 2), ids(page1.json().getJsonArray("items")));
    String next = page1.json().getString("next");
    assertNotNull(next);
    assertFalse(next.contains(published.get(1)), "the cursor tells nothing readable");
    String newer = room.publishedInterpretation(document, "就业措施最新解读", "text", List.of());

    Client.Response page2 = room.feed(citizen, "limit=2&cursor=" + next);
    assertEquals(published.subList(2, 4), ids(page2.json().getJsonArray("items")), "no repeat, no gap");
    Client.Response page3 = room.feed(citizen, "limit=2&cursor=" + page2.json().getString("next"));
    assertEquals(published.subList(4, 5), ids(page3.json().getJsonArray("items")));
    assertNull(page3.json().getString("next"));
    assertEquals(newer, ids(room.feed(citizen, "limit=2").json().getJsonArray("items")).get(0), "the new one leads page 1");
  }

  @Test
  @DisplayName("shows a post once its mini-program slot is published, under that mini-program, with the post's digest and cover")
  void showsPostsSentToTheMiniProgram() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于垃圾分类的管理办法");
    String post = room.approvedPost(document, "垃圾分类新规");
    String citizen = room.citizen("o-post-" + Client.unique());
    assertEquals(List.of(), ids(room.feed(citizen, "").json().getJsonArray("items")), "approved is not yet out");

    room.sendToMiniapp(post);

    JsonObject item = room.feed(citizen, "").json().getJsonArray("items").getJsonObject(0);
    assertEquals(post, item.getString("id"));
    assertEquals("post", item.getString("kind"));
    assertEquals("一图读懂垃圾分类新规", item.getString("digest"));
    assertEquals("text", item.getString("form"));
    assertTrue(item.getString("coverUrl").endsWith("/thumbnail"), item::encode);
    Client.Response byAccount = client.get("/mp/v1/feed?accountId=" + room.miniapp, citizen);
    assertEquals(List.of(post), ids(byAccount.json().getJsonArray("items")), "the mini-program's own feed");
    Client.Response otherAccount = client.get("/mp/v1/feed?accountId=" + "0".repeat(24), citizen);
    assertEquals(List.of(), ids(otherAccount.json().getJsonArray("items")));
  }

  @Test
  @DisplayName("refuses a forged cursor, a bad limit or a malformed account with 400, and answers 401 without a session")
  void refusesBadParameters() throws Exception {
    Newsroom room = new Newsroom(client);
    String citizen = room.citizen("o-bad-" + Client.unique());
    for (String query : List.of("cursor=abc", "cursor=" + "MTIzXw", "cursor=%F0%9F%98%80", "limit=0", "limit=51",
      "limit=%EF%BC%95", "limit=-1", "accountId=../x", "category=" + "长".repeat(51))) {
      Client.Response answer = client.get("/mp/v1/feed?" + query, citizen);
      assertEquals(400, answer.status(), query + " → " + answer);
      assertTrue(answer.contentType().startsWith("application/problem+json"), answer::toString);
    }
    assertEquals("invalid-cursor", client.get("/mp/v1/feed?cursor=abc", citizen).problemCode());
    assertEquals("invalid-limit", client.get("/mp/v1/feed?limit=500", citizen).problemCode());
    Client.Response anonymous = client.get("/mp/v1/feed", null);
    assertEquals(401, anonymous.status());
    assertEquals("session-invalid", anonymous.problemCode());
  }

  static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }
}
