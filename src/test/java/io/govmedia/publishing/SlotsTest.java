package io.govmedia.publishing;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.govmedia.publishing.Desk.miniappSlot;
import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Scheduling a post on a channel account")
class SlotsTest {

  /** Far enough ahead that no scheduler in the test JVM (movable clocks included) reaches it. */
  static final Duration LATER = Duration.ofDays(3);
  static final Duration WAIT = Duration.ofSeconds(20);

  static Desk desk;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
  }

  @Test
  @DisplayName("a mini-program slot for now is published at once, with the post's public page carrying the slot id")
  void publishedNow() {
    String post = desk.approvedPost("老旧小区改造意见征集", false);

    JsonObject slot = desk.scheduled(post, miniappSlot(desk.miniapp, null));
    JsonObject published = desk.awaitSlot(post, slot.getString("id"), WAIT, status("published"));

    assertEquals("miniapp", slot.getString("channel"));
    assertEquals("老旧小区改造意见征集", published.getString("postTitle"));
    assertTrue(published.getJsonObject("result").getString("url").endsWith("/p/" + post + "?s=" + slot.getString("id")),
      published::encode);
    assertEquals(List.of("scheduled", "publishing", "published"), Desk.moves(published));
    assertEquals(1, published.getInteger("attempt"));
    Client.Response page = client.get("/api/v1/posts/" + post, desk.editor);
    assertEquals("published", page.json().getString("status"), page::toString);
  }

  @Test
  @DisplayName("a scheduled slot can be rescheduled and cancelled; a cancelled slot cannot be cancelled again")
  void rescheduleAndCancel() {
    String post = desk.approvedPost("供暖期调整通知", false);
    JsonObject slot = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now().plus(LATER)));
    String path = "/api/v1/posts/" + post + "/slots/" + slot.getString("id");
    Instant later = Instant.now().plus(LATER).plus(Duration.ofHours(2));

    Client.Response moved = client.patch(path, desk.editor, new JsonObject().put("at", Desk.iso(later)));
    Client.Response cancelled = client.raw("DELETE", path, desk.editor, null, null);
    Client.Response again = client.raw("DELETE", path, desk.editor, null, null);

    assertEquals("scheduled", slot.getString("status"));
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(later.toEpochMilli(), Instant.parse(moved.json().getString("at").replace("+08:00", "+08:00"))
      .toEpochMilli(), moved::toString);
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("cancelled", cancelled.json().getString("status"));
    assertEquals(409, again.status(), again::toString);
  }

  @Test
  @DisplayName("a published slot cannot be cancelled or rescheduled (409 slot-started), but can be withdrawn")
  void withdraw() {
    String post = desk.approvedPost("防汛应急提示", false);
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, null)).getString("id");
    desk.awaitSlot(post, id, WAIT, status("published"));
    String path = "/api/v1/posts/" + post + "/slots/" + id;

    Client.Response cancel = client.raw("DELETE", path, desk.editor, null, null);
    Client.Response move = client.patch(path, desk.editor, new JsonObject().put("at", Desk.iso(Instant.now().plus(LATER))));
    Client.Response withdrawn = client.post(path + "/withdraw", desk.editor, new JsonObject().put("reason", "内容需更正"));
    Client.Response twice = client.post(path + "/withdraw", desk.editor, new JsonObject().put("reason", "再次撤回"));

    assertEquals("slot-started", cancel.problemCode());
    assertEquals(409, move.status());
    assertEquals("slot-started", move.problemCode());
    assertEquals(200, withdrawn.status(), withdrawn::toString);
    assertEquals("withdrawn", withdrawn.json().getString("status"));
    assertEquals(409, twice.status(), twice::toString);
  }

  @Test
  @DisplayName("scheduling is refused for an unapproved post, a wrong account type, another editor's account, a past time, a WeChat mode elsewhere, and a second live slot")
  void refusals() {
    String approved = desk.approvedPost("医保缴费提醒", false);
    Client.Response draft = client.post("/api/v1/posts", desk.editor, new JsonObject().put("title", "草稿")
      .put("body", "<p>草稿</p>").put("departmentId", desk.department).put("miniapp", new JsonObject()));
    String outsider = client.staffToken(desk.admin, List.of("editor"), List.of(desk.department), List.of());

    Client.Response notApproved = desk.schedule(draft.json().getString("id"), miniappSlot(desk.miniapp, null));
    Client.Response mismatch = desk.schedule(approved, miniappSlot(desk.weibo, null));
    Client.Response notTheirs = client.post("/api/v1/posts/" + approved + "/slots", outsider, miniappSlot(desk.miniapp, null));
    Client.Response past = desk.schedule(approved, miniappSlot(desk.miniapp, Instant.now().minus(Duration.ofHours(1))));
    Client.Response modeElsewhere = desk.schedule(approved, miniappSlot(desk.miniapp, null).put("mode", "mass"));
    Client.Response noMode = desk.schedule(approved, new JsonObject().put("channel", "wechat").put("accountId", desk.service));
    Client.Response noVariant = desk.schedule(approved, Desk.massSlot(desk.service, Instant.now().plus(LATER)));
    desk.scheduled(approved, miniappSlot(desk.miniapp, Instant.now().plus(LATER)));
    Client.Response second = desk.schedule(approved, miniappSlot(desk.miniapp, Instant.now().plus(LATER)));

    assertEquals("post-not-approved", notApproved.problemCode());
    assertEquals(409, notApproved.status());
    assertEquals(422, mismatch.status(), mismatch::toString);
    assertEquals("account-channel-mismatch", mismatch.problemCode());
    assertEquals(403, notTheirs.status(), notTheirs::toString);
    assertEquals(422, past.status(), past::toString);
    assertEquals("at-in-past", past.problemCode());
    assertEquals(400, modeElsewhere.status(), modeElsewhere::toString);
    assertEquals(400, noMode.status(), noMode::toString);
    assertEquals("no-variant", noVariant.problemCode());
    assertEquals(409, second.status(), second::toString);
    assertEquals("already-scheduled", second.problemCode());
  }

  @Test
  @DisplayName("a repeat with the same Idempotency-Key answers the same slot instead of making a second")
  void idempotencyKey() {
    String post = desk.approvedPost("公积金新政解读", false);
    String key = "k-" + Client.unique();
    byte[] body = miniappSlot(desk.miniapp, Instant.now().plus(LATER)).encode().getBytes();

    Client.Response first = client.raw("POST", "/api/v1/posts/" + post + "/slots", desk.editor, "application/json", body,
      Map.of("Idempotency-Key", key));
    Client.Response repeat = client.raw("POST", "/api/v1/posts/" + post + "/slots", desk.editor, "application/json", body,
      Map.of("Idempotency-Key", key));

    assertEquals(201, first.status(), first::toString);
    assertEquals(201, repeat.status(), repeat::toString);
    assertEquals(first.json().getString("id"), repeat.json().getString("id"));
    assertEquals(1, client.get("/api/v1/posts/" + post + "/slots", desk.editor).items().size());
  }

  @Test
  @DisplayName("an Idempotency-Key reused for another post is refused with 422, not answered with the first post's slot")
  void idempotencyKeyBoundToItsRequest() {
    String post = desk.approvedPost("居民医保缴费截止提醒", false);
    String other = desk.approvedPost("灵活就业人员参保指南", false);
    String key = "k-" + Client.unique();
    byte[] body = miniappSlot(desk.miniapp, Instant.now().plus(LATER)).encode().getBytes();

    Client.Response first = client.raw("POST", "/api/v1/posts/" + post + "/slots", desk.editor, "application/json", body,
      Map.of("Idempotency-Key", key));
    Client.Response reused = client.raw("POST", "/api/v1/posts/" + other + "/slots", desk.editor, "application/json", body,
      Map.of("Idempotency-Key", key));

    assertEquals(201, first.status(), first::toString);
    assertEquals(422, reused.status(), reused::toString);
    assertEquals("idempotency-key-reused", reused.problemCode());
    assertEquals(0, client.get("/api/v1/posts/" + other + "/slots", desk.editor).items().size());
  }

  @Test
  @DisplayName("a new version of the post cancels its scheduled slots, and the new version must be approved again")
  void newVersionUnschedules() {
    String post = desk.approvedPost("停水通知", false);
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now().plus(LATER))).getString("id");

    Client.Response edited = client.patch("/api/v1/posts/" + post, desk.editor, new JsonObject().put("title", "停水通知（更正）"));
    JsonObject cancelled = desk.awaitSlot(post, id, WAIT, status("cancelled"));
    Client.Response again = desk.schedule(post, miniappSlot(desk.miniapp, Instant.now().plus(LATER)));

    assertEquals(200, edited.status(), edited::toString);
    assertEquals("system", cancelled.getJsonArray("history").getJsonObject(1).getString("actor"));
    assertEquals("post-not-approved", again.problemCode());
  }

  @Test
  @DisplayName("a blocking word added after approval fails the slot with the finding just before the send; nothing goes out")
  void recheckBlocks() {
    String word = "禁发词" + Desk.alnum(6);
    String post = desk.approvedPost("关于" + word + "的说明", false);
    Client.Response listed = client.post("/api/v1/sensitive-words", desk.admin, new JsonObject().put("word", word)
      .put("level", "block"));
    assertEquals(201, listed.status(), listed::toString);

    String id = desk.scheduled(post, miniappSlot(desk.miniapp, null)).getString("id");
    JsonObject failed = desk.awaitSlot(post, id, WAIT, status("failed"));

    assertEquals("content-check-failed", failed.getJsonObject("error").getString("code"));
    assertEquals(word, failed.getJsonObject("error").getJsonArray("findings").getJsonObject(0).getString("text"));
    assertEquals(0, failed.getInteger("attempt"));
    assertNull(failed.getJsonObject("result"));
    assertFalse(Desk.moves(failed).contains("publishing"));
  }

  @Test
  @DisplayName("a failed slot is retried by the editor and goes out; retrying a published one is refused")
  void retryFailed() {
    String word = "临时禁词" + Desk.alnum(6);
    String post = desk.approvedPost("关于" + word + "的通告", false);
    Client.Response listed = client.post("/api/v1/sensitive-words", desk.admin, new JsonObject().put("word", word)
      .put("level", "block"));
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, null)).getString("id");
    desk.awaitSlot(post, id, WAIT, status("failed"));
    Client.Response removed = client.raw("DELETE", "/api/v1/sensitive-words/" + listed.json().getString("id"), desk.admin,
      null, null);
    String path = "/api/v1/posts/" + post + "/slots/" + id;

    Client.Response retried = client.raw("POST", path + "/retry", desk.editor, null, null);
    JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));
    Client.Response again = client.raw("POST", path + "/retry", desk.editor, null, null);

    assertTrue(removed.status() == 204 || removed.status() == 200, removed::toString);
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(List.of("scheduled", "failed", "scheduled", "publishing", "published"), Desk.moves(published));
    assertEquals(409, again.status(), again::toString);
    assertNotEquals(null, published.getJsonObject("result"));
  }

  @Test
  @DisplayName("two editors scheduling the same post on the same account at the same moment get one slot, the other 409; a cancelled slot frees the account for a new one")
  void oneLiveSlotPerPostAndAccount() throws Exception {
    String post = desk.approvedPost("城乡居民医保参保登记开始", false);
    JsonObject body = miniappSlot(desk.miniapp, Instant.now().plus(LATER));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    List<Client.Response> answers;
    try {
      List<java.util.concurrent.Future<Client.Response>> racing = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racing.add(pool.submit(() -> desk.schedule(post, body.copy())));
      }
      answers = new java.util.ArrayList<>();
      for (var f : racing) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    List<Client.Response> created = answers.stream().filter(a -> a.status() == 201).toList();
    assertEquals(1, created.size(), answers::toString);
    answers.stream().filter(a -> a.status() != 201)
      .forEach(a -> assertEquals("already-scheduled", a.problemCode(), a::toString));
    String slotId = created.get(0).json().getString("id");
    assertEquals(200, client.raw("DELETE", "/api/v1/posts/" + post + "/slots/" + slotId, desk.editor, null, null).status());
    assertEquals(201, desk.schedule(post, body.copy()).status());
  }
}
