package io.govmedia.citizen;

import com.mongodb.client.model.Filters;
import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.lettuce.core.RedisClient;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("An article in the mini-program")
class ArticleTest {

  private static Client client;

  @BeforeAll
  static void server() {
    client = TestServer.get().client();
  }

  @Test
  @DisplayName("shows its body, images and video at public /media URLs that answer Range, its document in force, and the document's other interpretations")
  void showsBodyMediaDocumentAndSiblings() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于老年人助餐服务的通知");
    String chart = room.image();
    String talk = room.video();
    String infographic = room.publishedInterpretation(document, "一图读懂老年助餐", "infographic", List.of(chart));
    String video = room.publishedInterpretation(document, "局长谈老年助餐", "video", List.of(talk));
    String citizen = room.citizen("o-article-" + Client.unique());

    Client.Response answer = client.get("/mp/v1/articles/" + infographic, citizen);
    assertEquals(200, answer.status(), answer::toString);
    JsonObject article = answer.json();
    assertEquals("一图读懂老年助餐", article.getString("title"));
    assertEquals("<p>一图读懂老年助餐：政策要点一、要点二、要点三。</p>", article.getString("body"));
    String image = article.getJsonArray("images").getJsonObject(0).getString("url");
    assertTrue(image.endsWith("/media/" + chart), image);
    Client.Response range = client.raw("GET", Newsroom.path(image), null, null, null, Map.of("Range", "bytes=0-9"));
    assertEquals(206, range.status(), "the image loads without signing in, by range");
    JsonObject doc = article.getJsonObject("document");
    assertEquals(document, doc.getString("id"));
    assertEquals("关于老年人助餐服务的通知", doc.getString("title"));
    assertEquals("valid", doc.getString("validity"));
    assertNull(doc.getValue("successor"));
    assertEquals(List.of(video), FeedTest.ids(article.getJsonArray("otherInterpretations")), "the other one, not itself");

    JsonObject talkPage = client.get("/mp/v1/articles/" + video, citizen).json();
    String videoUrl = talkPage.getJsonArray("videos").getJsonObject(0).getString("url");
    Client.Response part = client.raw("GET", Newsroom.path(videoUrl), null, null, null, Map.of("Range", "bytes=8-15"));
    assertEquals(206, part.status(), part::toString);
    assertEquals("video", talkPage.getString("form"));
  }

  @Test
  @DisplayName("shows a document past its expiry date as expired")
  void showsAnExpiredDocument() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument(room.documentBody("关于2020年度补贴发放的通知")
      .put("issuedAt", "2020-01-01T09:00:00+08:00").put("effectiveAt", "2020-01-01T00:00:00+08:00")
      .put("expiresAt", "2020-12-31T00:00:00+08:00"));
    String interpretation = room.publishedInterpretation(document, "补贴发放解读", "text", List.of());
    JsonObject doc = client.get("/mp/v1/articles/" + interpretation, room.citizen("o-exp-" + Client.unique())).json()
      .getJsonObject("document");
    assertEquals("expired", doc.getString("validity"), doc::encode);
  }

  @Test
  @DisplayName("answers the same 404 for an unknown, malformed, unpublished or non-article id")
  void sameNotFoundForEverythingNotInTheFeed() throws Exception {
    Newsroom room = new Newsroom(client);
    String document = room.publishedDocument("关于停车收费的规定");
    String draft = room.created("/api/v1/interpretations", new JsonObject().put("documentId", document)
      .put("form", "text").put("title", "起草中").put("body", "<p>草稿</p>"));
    String approvedPost = room.approvedPost(document, "停车新规");
    String citizen = room.citizen("o-404-" + Client.unique());
    JsonObject expected = null;
    for (String id : List.of("0123456789abcdef01234567", "xyz", "6b0fb988C5820ed82cd4c81f", draft, document,
      approvedPost)) {
      Client.Response answer = client.get("/mp/v1/articles/" + id, citizen);
      assertEquals(404, answer.status(), id + " → " + answer);
      JsonObject problem = answer.json();
      problem.remove("instance");
      problem.remove("requestId");
      if (expected == null) {
        expected = problem;
      }
      assertEquals(expected, problem, "nothing tells an unpublished article from none");
      assertEquals(404, client.post("/mp/v1/articles/" + id + "/helpful", citizen, new JsonObject()).status());
    }
  }

  @Test
  @DisplayName("counts one helpful vote per citizen: a second vote answers the same count, another citizen's adds one")
  void oneHelpfulVotePerCitizen() throws Exception {
    Newsroom room = new Newsroom(client);
    String interpretation = room.publishedInterpretation(room.publishedDocument("关于社区食堂的指导意见"),
      "社区食堂解读", "text", List.of());
    String first = room.citizen("o-vote-a-" + Client.unique());
    String second = room.citizen("o-vote-b-" + Client.unique());
    String path = "/mp/v1/articles/" + interpretation;

    assertEquals(0, client.get(path, first).json().getInteger("helpful"));
    JsonObject voted = Newsroom.ok(client.post(path + "/helpful", first, new JsonObject()));
    assertEquals(1, voted.getInteger("helpful"));
    assertTrue(voted.getBoolean("voted"));
    JsonObject again = Newsroom.ok(client.post(path + "/helpful", first, new JsonObject()));
    assertEquals(1, again.getInteger("helpful"), "not counted twice");
    assertTrue(again.getBoolean("voted"));
    assertFalse(client.get(path, second).json().getBoolean("voted"));
    assertEquals(2, Newsroom.ok(client.post(path + "/helpful", second, new JsonObject())).getInteger("helpful"));
    JsonObject page = client.get(path, first).json();
    assertEquals(2, page.getInteger("helpful"));
    assertTrue(page.getBoolean("voted"));
  }

  @Test
  @DisplayName("counts views in Redis, writes them to MongoDB in batches, and keeps counting from there after Redis lost them and the server restarted")
  void viewCountsSurviveARestart() throws Exception {
    Newsroom room = new Newsroom(client);
    String interpretation = room.publishedInterpretation(room.publishedDocument("关于公共自行车的管理办法"),
      "公共自行车解读", "text", List.of());
    String citizen = room.citizen("o-views-" + Client.unique());
    String path = "/mp/v1/articles/" + interpretation;
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, client.get(path, citizen).json().getInteger("views"));
    }
    Main.Running shared = TestServer.get().running();
    shared.feature(CitizenFeature.class).views().flush().await(10, TimeUnit.SECONDS);
    Document stats = StoreAccess.first(StoreAccess.collection("citizen_article_stats")
      .find(Filters.eq("_id", interpretation)));
    assertEquals(3L, stats.get("views", Number.class).longValue());

    RedisClient redis = RedisClient.create(TestServer.get().redisUri());
    try (var connection = redis.connect()) {
      connection.sync().del(ViewCounts.COUNTS, ViewCounts.LOADED);  // Redis lost the counts
    } finally {
      redis.shutdown();
    }
    try (Main.Running restarted = TestServer.get().startAnother(Map.of())) {
      Client there = new Client(restarted.port());
      assertEquals(4, there.get(path, citizen).json().getInteger("views"), "counting goes on from MongoDB's count");
    }
  }
}
