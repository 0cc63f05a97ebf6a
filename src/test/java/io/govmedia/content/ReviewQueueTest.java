package io.govmedia.content;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The review queue: what waits for my decision")
class ReviewQueueTest {

  static Client client;
  static ContentFixtures desk;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new ContentFixtures(client, "审核队列办");
  }

  static String submittedPost(String title) {
    String id = desk.create("/api/v1/posts", new JsonObject().put("title", title).put("body", "<p>正文</p>")
      .put("departmentId", desk.department).put("miniapp", new JsonObject())).getString("id");
    ContentFixtures.ok(client.post("/api/v1/posts/" + id + "/submit", desk.editor, new JsonObject()));
    return id;
  }

  static List<String> queue(String token) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      Client.Response page = client.get("/api/v1/review-queue?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(item -> ids.add(((JsonObject) item).getString("id")));
      cursor = page.json().getString("next");
    } while (cursor != null);
    return ids;
  }

  @Test
  @DisplayName("oldest submission first, paged; an item leaves the queue of whoever approved a stage, and of other departments")
  void queue() {
    String first = submittedPost("先送审的推送");
    String second = submittedPost("后送审的推送");
    String reviewer = desk.reviewers.get(0);

    List<String> mine = queue(reviewer);
    assertTrue(mine.indexOf(first) >= 0 && mine.indexOf(first) < mine.indexOf(second), mine::toString);
    JsonObject shown = client.get("/api/v1/review-queue", reviewer).items().stream().map(JsonObject.class::cast)
      .filter(i -> first.equals(i.getString("id"))).findFirst().orElseThrow();
    assertEquals("post", shown.getString("kind"));
    assertEquals("初审", shown.getJsonObject("review").getString("stageName"));
    assertNotNull(shown.getString("submittedAt"));
    assertEquals(shown.getJsonObject("createdBy").getString("username"), shown.getJsonObject("author").getString("username"));

    ContentFixtures.ok(client.post("/api/v1/posts/" + first + "/review", reviewer,
      new JsonObject().put("decision", "approve").put("version", 1)));
    assertFalse(queue(reviewer).contains(first), "one reviewer, one stage");
    assertTrue(queue(desk.reviewers.get(1)).contains(first), "the next stage is for another reviewer");

    String elsewhere = client.department(desk.admin, "别的部门", null);
    String outsider = client.staffToken(desk.admin, List.of("reviewer"), List.of(elsewhere), List.of());
    assertFalse(queue(outsider).contains(second));
    assertEquals(403, client.get("/api/v1/review-queue", desk.editor).status(), "editors do not review");
    assertEquals(400, client.get("/api/v1/review-queue?cursor=abc", reviewer).status());
  }
}
