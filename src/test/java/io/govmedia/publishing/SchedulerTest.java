package io.govmedia.publishing;

import io.govmedia.Main;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.lettuce.core.SetArgs;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static io.govmedia.publishing.Desk.miniappSlot;
import static io.govmedia.publishing.Desk.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The scheduler: the grace window, and slots left behind by an instance that died")
class SchedulerTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  static Desk desk;
  static Client client;
  static Redis redis;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    desk = new Desk(client);
    redis = Redis.connect(TestServer.get().redisUri());
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  @DisplayName("slots missed while no instance reached them go out on start inside the grace window, later they are missed")
  void graceWindow() {
    Instant now = Instant.now();
    String lateButInGrace = desk.approvedPost("晚到但仍在宽限内", false);
    String tooLate = desk.approvedPost("超过宽限", false);
    String inGrace = desk.scheduled(lateButInGrace, miniappSlot(desk.miniapp, now.plus(Duration.ofMinutes(100))))
      .getString("id");
    String missed = desk.scheduled(tooLate, miniappSlot(desk.miniapp, now.plus(Duration.ofMinutes(40)))).getString("id");
    MovableClock clock = new MovableClock();
    clock.advance(Duration.ofHours(2));

    try (Main.Running later = TestServer.get().startAnother(Map.of(), clock)) {
      JsonObject published = desk.awaitSlot(lateButInGrace, inGrace, WAIT, status("published"));
      JsonObject gone = desk.awaitSlot(tooLate, missed, WAIT, status("missed"));

      assertEquals(1, published.getInteger("attempt"));
      assertEquals(0, gone.getInteger("attempt"));
      assertEquals(List.of("scheduled", "missed"), Desk.moves(gone));
    }
    Client.Response retried = client.raw("POST", "/api/v1/posts/" + tooLate + "/slots/" + missed + "/retry", desk.editor,
      null, null);
    assertEquals(200, retried.status(), retried::toString);
    desk.awaitSlot(tooLate, missed, WAIT, status("published"));
  }

  @Test
  @DisplayName("a slot an instance died sending after the call went out is taken over once its lease ends: needs_check, then published by asking the channel, never sent again")
  void deadInstanceAfterSending() {
    String post = desk.approvedPost("实例中断：已发出", false);
    String id = leftBehindByDeadInstance(post, true);

    JsonObject resolved = desk.awaitSlot(post, id, WAIT, status("published"));

    assertEquals(List.of("scheduled", "publishing", "needs_check", "published"), Desk.moves(resolved));
    assertEquals(1, resolved.getInteger("attempt"), "checked, not sent again");
  }

  @Test
  @DisplayName("a slot an instance died preparing (nothing went out) is taken over once its lease ends and sent again")
  void deadInstanceBeforeSending() {
    String post = desk.approvedPost("实例中断：未发出", false);
    String id = leftBehindByDeadInstance(post, false);

    JsonObject resolved = desk.awaitSlot(post, id, WAIT, status("published"));

    assertEquals(List.of("scheduled", "publishing", "scheduled", "publishing", "published"), Desk.moves(resolved));
    assertEquals(2, resolved.getInteger("attempt"));
    assertFalse(resolved.getJsonObject("state").getBoolean("sending", false));
  }

  @Test
  @DisplayName("a needs_check slot is retried only once the editor confirms it did not go out")
  void needsCheckRetryNeedsConfirmation() {
    String post = desk.approvedPost("待核实重试", false);
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now().plus(Duration.ofDays(3)))).getString("id");
    Document slot = StoreAccess.first(StoreAccess.collection("slots").find(eq("_id", id)));
    slot.put("status", "needs_check");
    slot.put("attempt", 1);
    slot.put("state", new Document("sending", true));
    StoreAccess.first(StoreAccess.collection("slots").replaceOne(eq("_id", id), slot));
    String path = "/api/v1/posts/" + post + "/slots/" + id;

    Client.Response blind = client.raw("POST", path + "/retry", desk.editor, null, null);
    Client.Response confirmed = client.post(path + "/retry", desk.editor, new JsonObject().put("confirmed", true));

    assertEquals(409, blind.status(), blind::toString);
    assertEquals("needs-check", blind.problemCode());
    assertEquals(200, confirmed.status(), confirmed::toString);
    JsonObject published = desk.awaitSlot(post, id, WAIT, status("published"));
    assertEquals(2, published.getInteger("attempt"));
  }

  /**
   * What an instance that died mid-send leaves: the slot claimed ({@code publishing}, attempt 1), in the set of
   * slots in flight, and its lease running out — with {@code sending} written when the call may have gone out.
   */
  private String leftBehindByDeadInstance(String post, boolean sending) {
    String id = desk.scheduled(post, miniappSlot(desk.miniapp, Instant.now().plus(Duration.ofDays(3)))).getString("id");
    Document slot = StoreAccess.first(StoreAccess.collection("slots").find(eq("_id", id)));
    Instant now = Instant.now();
    List<Document> history = new java.util.ArrayList<>(slot.getList("history", Document.class));
    history.add(new Document("at", Date.from(now)).append("actor", "system").append("from", "scheduled")
      .append("to", "publishing").append("note", "开始第 1 次发送"));
    slot.put("status", "publishing");
    slot.put("attempt", 1);
    slot.put("startedAt", Date.from(now));
    slot.put("dueAt", Date.from(now));
    slot.put("seq", slot.getLong("seq") + 1);
    slot.put("history", history);
    slot.put("state", sending ? new Document("sending", true) : new Document());
    redis.sync().set(DEAD_LEASE + id, "dead-instance", SetArgs.Builder.px(1500));
    redis.sync().zrem("govmedia:publishing:due", id);
    StoreAccess.first(StoreAccess.collection("slots").replaceOne(eq("_id", id), slot));
    redis.sync().sadd("govmedia:publishing:inflight", id);
    assertTrue(redis.sync().exists(DEAD_LEASE + id) > 0);
    return id;
  }

  private static final String DEAD_LEASE = "govmedia:publishing:lease:";
}
