package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.lettuce.core.RedisClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The mini-program's cache")
class FeedCacheTest {

  private static Client client;

  @BeforeAll
  static void server() {
    client = TestServer.get().client();
  }

  @Test
  @DisplayName("drops a withdrawn post from the feed and its page at the very next request")
  void withdrawnPostGoesAtOnce() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于电动自行车停放充电的规定");
    String post = room.approvedPost(document, "电动车充电新规");
    String slot = room.sendToMiniapp(post);
    String citizen = room.citizen("o-withdraw-" + Client.unique());
    for (int i = 0; i < 2; i++) {  // the second answer comes from the cache
      assertEquals(List.of(post), FeedTest.ids(room.feed(citizen, "").json().getJsonArray("items")));
      assertEquals(200, client.get("/mp/v1/articles/" + post, citizen).status());
    }
    assertTrue(cached("article:" + post), "the page is kept in Redis");

    room.withdraw(post, slot);

    assertEquals(List.of(), FeedTest.ids(room.feed(citizen, "").json().getJsonArray("items")));
    assertEquals(404, client.get("/mp/v1/articles/" + post, citizen).status());
    assertEquals(404, client.post("/mp/v1/articles/" + post + "/helpful", citizen, new JsonObject()).status());
  }

  @Test
  @DisplayName("shows an edited document at once on its interpretation's page: gone while back in review, then its new title, expired, with its successor")
  void editedDocumentShowsAtOnce() throws Exception {
    Newsroom room = new Newsroom(client);
    String old = room.publishedDocument("关于物业服务收费的暂行办法");
    String successor = room.publishedDocument("关于物业服务收费的管理办法");
    String interpretation = room.publishedInterpretation(old, "物业收费怎么算", "qa", List.of());
    String citizen = room.citizen("o-edit-" + Client.unique());
    String path = "/mp/v1/articles/" + interpretation;
    assertEquals("关于物业服务收费的暂行办法", client.get(path, citizen).json().getJsonObject("document").getString("title"));

    Newsroom.ok(client.post("/api/v1/documents/" + old + "/validity", room.editor, new JsonObject()
      .put("validity", "repealed").put("successorId", successor).put("note", "已被新办法取代")));
    assertNull(client.get(path, citizen).json().getValue("document"), "its new version is not published yet");

    Newsroom.ok(client.patch("/api/v1/documents/" + old, room.editor,
      new JsonObject().put("title", "关于物业服务收费的暂行办法（已废止）")));
    room.publish("/api/v1/documents/" + old);

    JsonObject document = client.get(path, citizen).json().getJsonObject("document");
    assertEquals("关于物业服务收费的暂行办法（已废止）", document.getString("title"));
    assertEquals("expired", document.getString("validity"));
    assertEquals("repealed", document.getString("validityRecorded"));
    assertEquals(successor, document.getJsonObject("successor").getString("id"));
    assertEquals("关于物业服务收费的管理办法", document.getJsonObject("successor").getString("title"));
  }

  @Test
  @DisplayName("answers a repeat visit that sends the ETag with 304 and no body, and a changed feed with a new ETag")
  void etagsAnswer304() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于城市绿化的条例");
    String interpretation = room.publishedInterpretation(document, "绿化条例解读", "text", List.of());
    String citizen = room.citizen("o-etag-" + Client.unique());

    Client.Response feed = room.feed(citizen, "");
    String etag = feed.header("ETag");
    assertNotNull(etag);
    assertEquals("private, no-cache", feed.header("Cache-Control"));
    Client.Response again = client.get("/mp/v1/feed?category=" + java.net.URLEncoder.encode(room.category,
      java.nio.charset.StandardCharsets.UTF_8), citizen, Map.of("If-None-Match", etag));
    assertEquals(304, again.status());
    assertEquals("", again.text());

    Client.Response page = client.get("/mp/v1/articles/" + interpretation, citizen);
    Client.Response repeat = client.get("/mp/v1/articles/" + interpretation, citizen,
      Map.of("If-None-Match", page.header("ETag")));
    assertEquals(304, repeat.status(), "a view more does not change the page");
    assertEquals("", repeat.text());

    room.publishedInterpretation(document, "绿化条例再解读", "text", List.of());
    Client.Response changed = client.get("/mp/v1/feed?category=" + java.net.URLEncoder.encode(room.category,
      java.nio.charset.StandardCharsets.UTF_8), citizen, Map.of("If-None-Match", etag));
    assertEquals(200, changed.status());
    assertNotEquals(etag, changed.header("ETag"));
    assertEquals(2, changed.json().getJsonArray("items").size());
  }

  @Test
  @DisplayName("holds an invalidation on another instance too: a post withdrawn through one is gone from the other's next answer")
  void invalidationReachesAnotherInstance() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于校外培训的规范意见");
    String post = room.approvedPost(document, "校外培训新规");
    String slot = room.sendToMiniapp(post);
    String citizen = room.citizen("o-other-" + Client.unique());
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client there = new Client(other.port());
      String feedPath = "/mp/v1/feed?accountId=" + room.miniapp;
      for (int i = 0; i < 2; i++) {
        assertEquals(List.of(post), FeedTest.ids(there.get(feedPath, citizen).json().getJsonArray("items")));
        assertEquals(200, there.get("/mp/v1/articles/" + post, citizen).status());
      }

      room.withdraw(post, slot);  // through the shared instance

      assertEquals(List.of(), FeedTest.ids(there.get(feedPath, citizen).json().getJsonArray("items")));
      assertEquals(404, there.get("/mp/v1/articles/" + post, citizen).status());
    }
  }

  private static boolean cached(String key) {
    RedisClient redis = RedisClient.create(TestServer.get().redisUri());
    try (var connection = redis.connect()) {
      return connection.sync().exists("govmedia:mp:cache:entry:" + key) == 1;
    } finally {
      redis.shutdown();
    }
  }
}
