package io.govmedia.inbox;

import io.govmedia.auth.AuthFeature;
import io.govmedia.auth.StaffDirectory;
import io.govmedia.inbox.AssignmentFixtures.Member;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.govmedia.inbox.AssignmentFixtures.assignment;
import static io.govmedia.inbox.AssignmentFixtures.auditEntry;
import static io.govmedia.inbox.AssignmentFixtures.await;
import static io.govmedia.inbox.AssignmentFixtures.awaitOnDuty;
import static io.govmedia.inbox.AssignmentFixtures.member;
import static io.govmedia.inbox.AssignmentFixtures.put;
import static io.govmedia.inbox.AssignmentFixtures.replier;
import static io.govmedia.inbox.AssignmentFixtures.setAvailable;
import static io.govmedia.inbox.AssignmentFixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On duty or away: who may say so, what the record shows, and what assignment makes of it. */
@DisplayName("Staff availability")
class AvailabilityTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("a replier who goes away is no longer picked from that moment, and is picked again once back")
  void awayIsNotPicked() {
    String department = client.department(admin, "值班", null);
    Member staying = replier(client, admin, department);
    Member leaving = replier(client, admin, department);
    awaitOnDuty(shared(), department, List.of(staying.id(), leaving.id()));
    String token = leaving.token();

    Client.Response away = setAvailable(client, leaving.id(), token, false);
    assertEquals(200, away.status(), away::toString);
    assertFalse(away.json().getBoolean("available"));
    assertFalse(client.get("/api/v1/staff/" + leaving.id(), admin).json().getBoolean("available"));
    Assignment assignment = assignment(shared());
    for (int i = 0; i < 4; i++) {
      assertEquals(staying.id(), await(assignment.pick(department)));
    }
    JsonObject entry = auditEntry(client, admin, "staff.availability", leaving.id());
    assertNotNull(entry);
    assertFalse(entry.getJsonObject("after").getBoolean("available"));

    assertTrue(setAvailable(client, leaving.id(), token, true).json().getBoolean("available"));
    assertEquals(leaving.id(), await(assignment.pick(department)), "back, with the fewest open cases");
  }

  @Test
  @DisplayName("going away tells the away listeners once, when the member is already out of assignment")
  void listenersAreTold() {
    String department = client.department(admin, "转派", null);
    Member member = replier(client, admin, department);
    awaitOnDuty(shared(), department, List.of(member.id()));
    StaffDirectory directory = shared().feature(AuthFeature.class).staffDirectory();
    List<String> told = new CopyOnWriteArrayList<>();
    List<Boolean> stillOnDuty = new CopyOnWriteArrayList<>();
    Runnable remove = directory.onAway(id -> {
      if (id.equals(member.id())) {
        told.add(id);
        stillOnDuty.add(directory.onDuty(department).contains(id));
      }
    });
    try {
      assertEquals(200, setAvailable(client, member.id(), admin, false).status());
      assertEquals(200, setAvailable(client, member.id(), admin, false).status(), "already away: no change");
      assertEquals(List.of(member.id()), told);
      assertEquals(List.of(false), stillOnDuty);
      assertNull(await(assignment(shared()).pick(department)));

      assertEquals(200, setAvailable(client, member.id(), admin, true).status());
      assertEquals(List.of(member.id()), told, "coming back is not going away");
    } finally {
      remove.run();
    }
  }

  @Test
  @DisplayName("disabling an on-duty replier, or taking the role away, tells the away listeners too")
  void disabledIsAway() {
    String department = client.department(admin, "停用", null);
    Member disabled = replier(client, admin, department);
    Member demoted = replier(client, admin, department);
    Member renamed = replier(client, admin, department);
    List<String> told = new CopyOnWriteArrayList<>();
    Runnable remove = shared().feature(AuthFeature.class).staffDirectory().onAway(told::add);
    try {
      assertEquals(200, client.patch("/api/v1/staff/" + disabled.id(), admin, new JsonObject().put("disabled", true)).status());
      assertEquals(200, client.patch("/api/v1/staff/" + demoted.id(), admin,
        new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("editor"))).status());
      assertEquals(200, client.patch("/api/v1/staff/" + renamed.id(), admin, new JsonObject().put("displayName", "新名")).status());
      assertEquals(List.of(disabled.id(), demoted.id()), told.stream().filter(List.of(disabled.id(), demoted.id(),
        renamed.id())::contains).toList());
    } finally {
      remove.run();
    }
  }

  @Test
  @DisplayName("the member, a head of their department or an admin sets availability; anyone else is refused")
  void whoMaySetIt() {
    String department = client.department(admin, "科室", null);
    String elsewhere = client.department(admin, "另一科室", null);
    Member member = replier(client, admin, department);
    Member head = member(client, admin, List.of("replier"), List.of(department), List.of(department));
    Member otherHead = member(client, admin, List.of("replier"), List.of(elsewhere), List.of(elsewhere));
    Member colleague = replier(client, admin, department);
    Member dispatcher = member(client, admin, List.of("dispatcher"), List.of(department), List.of());

    assertEquals(200, setAvailable(client, member.id(), head.token(), false).status());
    assertEquals(200, setAvailable(client, member.id(), admin, true).status());
    for (Member refused : List.of(otherHead, colleague, dispatcher)) {
      Client.Response response = setAvailable(client, member.id(), refused.token(), false);
      assertEquals(403, response.status(), response::toString);
      assertEquals("forbidden", response.problemCode());
    }
    assertTrue(client.get("/api/v1/staff/" + member.id(), admin).json().getBoolean("available"));

    Client.Response promoted = client.patch("/api/v1/staff/" + colleague.id(), admin,
      new JsonObject().put("headOf", new io.vertx.core.json.JsonArray().add(department)));
    assertEquals(200, promoted.status(), promoted::toString);
    assertEquals(200, setAvailable(client, member.id(), colleague.token(), false).status(),
      "made head: allowed at once");
  }

  @Test
  @DisplayName("a missing or malformed body is a 400, an unknown or malformed staff id a 404")
  void badRequests() {
    String department = client.department(admin, "输入", null);
    Member member = replier(client, admin, department);
    String path = "/api/v1/staff/" + member.id() + "/availability";
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("available", "no"),
      new JsonObject().putNull("available"))) {
      Client.Response response = put(client, path, admin, body);
      assertEquals(400, response.status(), body + ": " + response);
      assertEquals("invalid-body", response.problemCode());
    }
    assertEquals(404, setAvailable(client, "0123456789abcdef01234567", admin, false).status());
    assertEquals(404, setAvailable(client, "nobody", admin, false).status());
    assertEquals(401, setAvailable(client, member.id(), null, false).status());
  }
}
