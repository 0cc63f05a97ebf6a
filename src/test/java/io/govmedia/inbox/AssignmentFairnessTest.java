package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.govmedia.inbox.AssignmentFixtures.assignment;
import static io.govmedia.inbox.AssignmentFixtures.await;
import static io.govmedia.inbox.AssignmentFixtures.awaitOnDuty;
import static io.govmedia.inbox.AssignmentFixtures.member;
import static io.govmedia.inbox.AssignmentFixtures.replier;
import static io.govmedia.inbox.AssignmentFixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Automatic assignment inside a department: fewest open cases first, round robin on ties, never over the cap (30). */
@DisplayName("Fair assignment")
class AssignmentFairnessTest {

  static final int CAP = 30;
  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  /** A department with {@code count} repliers on duty, as the shared server's directory shows it. */
  private static List<String> repliers(String department, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(replier(client, admin, department).id());
    }
    awaitOnDuty(shared(), department, ids);
    return ids.stream().sorted().toList();
  }

  private static List<String> picks(Assignment assignment, String department, int count) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(await(assignment.pick(department)));
    }
    return picked;
  }

  @Test
  @DisplayName("with equal loads the repliers take turns, and over many picks each gets the same number")
  void roundRobin() {
    String department = client.department(admin, "轮派", null);
    List<String> ids = repliers(department, 3);
    List<String> picked = picks(assignment(shared()), department, 3 * 9);
    assertEquals(3, picked.subList(0, 3).stream().distinct().count(), "the first three go to three people: " + picked);
    for (int i = 3; i < picked.size(); i++) {
      assertEquals(picked.get(i - 3), picked.get(i), "turns repeat in the same order: " + picked);
    }
    Map<String, Integer> spread = new HashMap<>();
    picked.forEach(id -> spread.merge(id, 1, Integer::sum));
    assertEquals(Map.of(ids.get(0), 9, ids.get(1), 9, ids.get(2), 9), spread);
  }

  @Test
  @DisplayName("the replier with the fewest open cases is picked first; releases and claims count")
  void fewestFirst() {
    String department = client.department(admin, "少者先", null);
    List<String> ids = repliers(department, 3);
    Assignment assignment = assignment(shared());
    String busy = ids.get(0);
    for (int i = 0; i < 4; i++) {
      await(assignment.opened(busy, department));
    }
    List<String> first = picks(assignment, department, 8);
    assertFalse(first.contains(busy), "the busy one waits until the others have as many: " + first);
    assertEquals(4, first.stream().filter(ids.get(1)::equals).count());

    await(assignment.released(ids.get(2), department));
    await(assignment.released(ids.get(2), department));
    assertEquals(ids.get(2), await(assignment.pick(department)), "two closed cases make them the least loaded");
  }

  @Test
  @DisplayName("only repliers of the department who are on duty and not disabled are picked")
  void onlyActiveRepliers() {
    String department = client.department(admin, "仅答复", null);
    String other = client.department(admin, "别的部门", null);
    String replier = replier(client, admin, department).id();
    String editor = member(client, admin, List.of("editor", "dispatcher"), List.of(department), List.of()).id();
    String elsewhere = replier(client, admin, other).id();
    String disabled = replier(client, admin, department).id();
    assertEquals(200, client.patch("/api/v1/staff/" + disabled, admin,
      new io.vertx.core.json.JsonObject().put("disabled", true)).status());
    awaitOnDuty(shared(), department, List.of(replier));
    List<String> picked = picks(assignment(shared()), department, 5);
    assertEquals(List.of(replier, replier, replier, replier, replier), picked, () -> "never " + editor + ", "
      + elsewhere + " or " + disabled);
  }

  @Test
  @DisplayName("when everyone is at the cap, or nobody is on duty, there is nobody to pick")
  void cap() {
    String department = client.department(admin, "上限", null);
    List<String> ids = repliers(department, 2);
    Assignment assignment = assignment(shared());
    await(assignment.reset(department, Map.of(ids.get(0), CAP, ids.get(1), CAP - 1)));
    assertEquals(ids.get(1), await(assignment.pick(department)));
    assertNull(await(assignment.pick(department)));
    await(assignment.released(ids.get(0), department));
    assertEquals(ids.get(0), await(assignment.pick(department)));
    assertNull(await(assignment.pick(department)));

    assertNull(await(assignment.pick(client.department(admin, "无人", null))));
  }

  @Test
  @DisplayName("a reset from the store replaces a department's counts; a release never goes below zero")
  void reset() {
    String department = client.department(admin, "重置", null);
    List<String> ids = repliers(department, 2);
    Assignment assignment = assignment(shared());
    await(assignment.reset(department, Map.of(ids.get(0), 3)));
    await(assignment.reset(department, Map.of(ids.get(1), 2)));
    assertEquals(ids.get(0), await(assignment.pick(department)), "the first reset's 3 are gone");
    for (int i = 0; i < 5; i++) {
      await(assignment.released(ids.get(0), department));
    }
    await(assignment.reset(department, Map.of(ids.get(1), 1)));
    List<String> picked = picks(assignment, department, 3);
    assertEquals(List.of(ids.get(0), ids.get(0), ids.get(1)).stream().sorted().toList(), picked.stream().sorted().toList(),
      "from 0 and 1: the first two picks even them out: " + picked);
  }

  @Test
  @DisplayName("two instances picking at once never give anybody more than the cap, and fill every place")
  void twoInstancesNeverOverfill() throws Exception {
    String department = client.department(admin, "并发", null);
    List<String> ids = repliers(department, 2);
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      awaitOnDuty(other, department, ids);
      List<Assignment> instances = List.of(assignment(shared()), assignment(other));
      Map<String, AtomicInteger> given = new ConcurrentHashMap<>();
      AtomicInteger nobody = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          Assignment assignment = instances.get(i % 2);
          running.add(pool.submit(() -> {
            String id = await(assignment.pick(department));
            if (id == null) {
              nobody.incrementAndGet();
            } else {
              given.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
          }));
        }
        for (Future<?> pick : running) {
          pick.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(CAP, given.get(ids.get(0)).get());
      assertEquals(CAP, given.get(ids.get(1)).get());
      assertEquals(100 - 2 * CAP, nobody.get());
      assertTrue(instances.stream().allMatch(a -> await(a.pick(department)) == null));
    }
  }
}
