package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.lettuce.core.SetArgs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.govmedia.inbox.AssignmentFixtures.awaitOnDuty;
import static io.govmedia.inbox.AssignmentFixtures.replier;
import static io.govmedia.inbox.AssignmentFixtures.setAvailable;
import static io.govmedia.inbox.AssignmentFixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open cases of a replier who goes away (离岗) go to a colleague on duty, or wait to be claimed. */
@DisplayName("Redistribution when someone goes away")
class RedistributionTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  /** Three cases of {@code department} given by a dispatcher to {@code staffId}. */
  private static List<String> casesOf(Inbox.Member dispatcher, String department, String staffId) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = Inbox.enter(client, dispatcher.token()).getString("id");
      Inbox.acted(client, dispatcher.token(), id, "assign", new JsonObject().put("departmentId", department));
      JsonObject assigned = Inbox.acted(client, dispatcher.token(), id, "assign",
        new JsonObject().put("assigneeId", staffId));
      assertEquals(staffId, assigned.getString("assigneeId"));
      ids.add(id);
    }
    return ids;
  }

  private static JsonObject redistributed(String id) {
    JsonObject c = Inbox.eventually(() -> Inbox.read(client, admin, id), read -> {
      JsonArray history = read.getJsonArray("history");
      return Redistribution.ACTION.equals(history.getJsonObject(history.size() - 1).getString("action"));
    }, Duration.ofSeconds(10));
    JsonArray history = c.getJsonArray("history");
    assertEquals("离岗", history.getJsonObject(history.size() - 1).getString("reason"), c::encode);
    return c;
  }

  @Test
  @DisplayName("a replier with three open cases goes away: the colleague on duty gets all three, the history says why, and the one back gets the next case")
  void toTheColleague() {
    String department = client.department(admin, "市民热线", null);
    Inbox.Member dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(department));
    AssignmentFixtures.Member staying = replier(client, admin, department);
    AssignmentFixtures.Member leaving = replier(client, admin, department);
    awaitOnDuty(shared(), department, List.of(staying.id(), leaving.id()));
    List<String> ids = casesOf(dispatcher, department, leaving.id());

    assertEquals(200, setAvailable(client, leaving.id(), leaving.token(), false).status());
    for (String id : ids) {
      JsonObject c = redistributed(id);
      assertEquals(staying.id(), c.getString("assigneeId"), c::encode);
      assertEquals("assigned", c.getString("status"));
      assertEquals(department, c.getString("departmentId"));
    }
    assertTrue(Inbox.ids(client, admin, "assigneeId=" + leaving.id()).isEmpty(), "the away person has none left");
    assertTrue(Inbox.ids(client, admin, "assigneeId=" + staying.id()).containsAll(ids));

    assertEquals(200, setAvailable(client, leaving.id(), leaving.token(), true).status());
    awaitOnDuty(shared(), department, List.of(staying.id(), leaving.id()));
    String next = Inbox.enter(client, dispatcher.token()).getString("id");
    JsonObject c = Inbox.acted(client, dispatcher.token(), next, "assign", new JsonObject().put("departmentId", department));
    assertEquals(leaving.id(), c.getString("assigneeId"), "their count was given back: back with the fewest open cases");
  }

  @Test
  @DisplayName("in a department whose cases wait to be claimed, the away person's cases stay there unassigned, ready to be claimed")
  void claimDepartment() {
    String department = client.department(admin, "信访科", null);
    Inbox.Member dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(department));
    Inbox.assignmentMode(client, admin, department, "claim");
    AssignmentFixtures.Member staying = replier(client, admin, department);
    AssignmentFixtures.Member leaving = replier(client, admin, department);
    awaitOnDuty(shared(), department, List.of(staying.id(), leaving.id()));
    List<String> ids = casesOf(dispatcher, department, leaving.id());
    Inbox.acted(client, leaving.token(), ids.get(0), "pause", new JsonObject().put("reason", "等待第三方鉴定"));

    assertEquals(200, setAvailable(client, leaving.id(), admin, false).status());
    for (String id : ids) {
      JsonObject c = redistributed(id);
      assertNull(c.getString("assigneeId"), c::encode);
      assertEquals(department, c.getString("departmentId"));
    }
    assertEquals("paused", Inbox.read(client, admin, ids.get(0)).getString("status"), "a paused case keeps its clock");
    assertEquals("assigned", Inbox.read(client, admin, ids.get(1)).getString("status"));
    assertEquals(staying.id(), Inbox.acted(client, staying.token(), ids.get(1), "claim", new JsonObject())
      .getString("assigneeId"));
  }

  @Test
  @DisplayName("a redistribution cut short (the instance doing it died holding its lock) is finished once the lock has expired: the away person's cases reach the colleague on duty")
  void resumedAfterACrash() throws Exception {
    String department = client.department(admin, "城管执法", null);
    Inbox.Member dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(department));
    AssignmentFixtures.Member staying = replier(client, admin, department);
    AssignmentFixtures.Member leaving = replier(client, admin, department);
    awaitOnDuty(shared(), department, List.of(staying.id(), leaving.id()));
    List<String> ids = casesOf(dispatcher, department, leaving.id());

    String lock = Redis.PREFIX + "inbox:redistribute:" + leaving.id();
    try (Redis redis = Redis.connect(TestServer.get().redisUri())) {
      // what an instance that died while redistributing leaves behind, here expiring in moments instead of minutes
      redis.sync().set(lock, "1", SetArgs.Builder.px(1500));
      assertEquals(200, setAvailable(client, leaving.id(), leaving.token(), false).status());
      awaitOnDuty(shared(), department, List.of(staying.id()));
      Inbox.eventually(() -> redis.sync().exists(lock), left -> left == 0, Duration.ofSeconds(10));
    }
    shared().feature(InboxFeature.class).resumeRedistribution().toCompletionStage().toCompletableFuture()
      .get(30, TimeUnit.SECONDS);
    for (String id : ids) {
      assertEquals(staying.id(), redistributed(id).getString("assigneeId"));
    }
    assertTrue(Inbox.ids(client, admin, "assigneeId=" + leaving.id()).isEmpty(), "the away person has none left");
  }

  @Test
  @DisplayName("a case a dispatcher gives by hand to someone who is away stays theirs when unfinished redistributions are resumed: only those who went away with cases are redistributed")
  void handAssignedStays() throws Exception {
    String department = client.department(admin, "市场监管", null);
    Inbox.Member dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(department));
    AssignmentFixtures.Member staying = replier(client, admin, department);
    AssignmentFixtures.Member away = replier(client, admin, department);
    assertEquals(200, setAvailable(client, away.id(), away.token(), false).status());
    awaitOnDuty(shared(), department, List.of(staying.id()));
    List<String> ids = casesOf(dispatcher, department, away.id());

    shared().feature(InboxFeature.class).resumeRedistribution().toCompletionStage().toCompletableFuture()
      .get(30, TimeUnit.SECONDS);
    for (String id : ids) {
      assertEquals(away.id(), Inbox.read(client, admin, id).getString("assigneeId"), "the dispatcher's choice stands");
    }
  }
}
