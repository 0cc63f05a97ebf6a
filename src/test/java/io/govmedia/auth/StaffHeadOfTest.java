package io.govmedia.auth;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.govmedia.auth.AuthFixtures.auditEntry;
import static io.govmedia.auth.AuthFixtures.errorFields;
import static io.govmedia.auth.AuthFixtures.member;
import static io.govmedia.auth.AuthFixtures.staffBody;
import static io.govmedia.auth.AuthFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Department heads")
class StaffHeadOfTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("an admin makes a member head of their departments; the record and its audit entry show it")
  void headOf() {
    String first = client.department(admin, "一科", null);
    String second = client.department(admin, "二科", null);
    Client.Response created = client.post("/api/v1/staff", admin,
      staffBody("h" + Client.unique(), "Head-Passw0rd-" + Client.unique(), List.of("replier"), List.of(first, second))
        .put("headOf", new JsonArray().add(first)));
    assertEquals(201, created.status(), created::toString);
    String id = created.json().getString("id");
    assertEquals(List.of(first), created.json().getJsonArray("headOf").getList());
    assertTrue(created.json().getBoolean("available"), "on duty from the start");

    Client.Response changed = client.patch("/api/v1/staff/" + id, admin,
      new JsonObject().put("headOf", new JsonArray().add(first).add(second)));
    assertEquals(200, changed.status(), changed::toString);
    assertEquals(List.of(first, second), client.get("/api/v1/staff/" + id, admin).json().getJsonArray("headOf").getList());
    JsonObject entry = auditEntry(client, admin, "staff.update", target(id));
    assertEquals(List.of(first, second), entry.getJsonObject("after").getJsonArray("headOf").getList());

    Client.Response none = client.patch("/api/v1/staff/" + id, admin, new JsonObject().put("headOf", new JsonArray()));
    assertEquals(List.of(), none.json().getJsonArray("headOf").getList());
  }

  @Test
  @DisplayName("a member heads only departments they belong to, on create and on every change")
  void onlyOwnDepartments() {
    String own = client.department(admin, "本科", null);
    String foreign = client.department(admin, "外科", null);
    Client.Response create = client.post("/api/v1/staff", admin,
      staffBody("h" + Client.unique(), "Head-Passw0rd-" + Client.unique(), List.of("replier"), List.of(own))
        .put("headOf", new JsonArray().add(foreign)));
    assertEquals(400, create.status(), create::toString);
    assertEquals(List.of("headOf"), errorFields(create));

    AuthFixtures.Member head = member(client, admin, List.of("replier"), List.of(own));
    assertEquals(200, client.patch("/api/v1/staff/" + head.id(), admin,
      new JsonObject().put("headOf", new JsonArray().add(own))).status());
    Client.Response leaving = client.patch("/api/v1/staff/" + head.id(), admin,
      new JsonObject().put("departmentIds", new JsonArray().add(foreign)));
    assertEquals(400, leaving.status(), "still head of the department they would leave: " + leaving);
    assertEquals(List.of("headOf"), errorFields(leaving));
    Client.Response moved = client.patch("/api/v1/staff/" + head.id(), admin,
      new JsonObject().put("departmentIds", new JsonArray().add(foreign)).put("headOf", new JsonArray()));
    assertEquals(200, moved.status(), moved::toString);

    Client.Response malformed = client.patch("/api/v1/staff/" + head.id(), admin,
      new JsonObject().put("headOf", new JsonArray().add("not-an-id")));
    assertEquals(400, malformed.status());
  }

  @Test
  @DisplayName("only admins name heads: a head cannot make a colleague head")
  void onlyAdmins() {
    String department = client.department(admin, "负责人", null);
    AuthFixtures.Member head = member(client, admin, List.of("replier", "dispatcher"), List.of(department));
    client.patch("/api/v1/staff/" + head.id(), admin, new JsonObject().put("headOf", new JsonArray().add(department)));
    AuthFixtures.Member colleague = member(client, admin, List.of("replier"), List.of(department));
    Client.Response response = client.patch("/api/v1/staff/" + colleague.id(), head.token(),
      new JsonObject().put("headOf", new JsonArray().add(department)));
    assertEquals(403, response.status(), response::toString);
  }
}
