package io.govmedia.auth;

import io.govmedia.auth.AuthFixtures.Member;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.govmedia.auth.AuthFixtures.auditEntry;
import static io.govmedia.auth.AuthFixtures.errorFields;
import static io.govmedia.auth.AuthFixtures.member;
import static io.govmedia.auth.AuthFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The department tree")
class DepartmentTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  private static Client.Response create(String token, String name, String parentId) {
    return client.post("/api/v1/departments", token, new JsonObject().put("name", name).put("parentId", parentId));
  }

  private static List<String> ids(Client.Response list) {
    List<String> ids = new ArrayList<>();
    list.items().forEach(d -> ids.add(((JsonObject) d).getString("id")));
    return ids;
  }

  // Creating

  @Test
  @DisplayName("two departments moved under each other at the same moment never end up in a cycle")
  void concurrentMoves() throws Exception {
    for (int round = 0; round < 3; round++) {
      String x = client.department(admin, "甲科", null);
      String y = client.department(admin, "乙科", null);
      var a = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        client.patch("/api/v1/departments/" + x, admin, new JsonObject().put("parentId", y)));
      var b = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        client.patch("/api/v1/departments/" + y, admin, new JsonObject().put("parentId", x)));
      a.get(30, java.util.concurrent.TimeUnit.SECONDS);
      b.get(30, java.util.concurrent.TimeUnit.SECONDS);
      String parentOfX = client.get("/api/v1/departments/" + x, admin).json().getString("parentId");
      String parentOfY = client.get("/api/v1/departments/" + y, admin).json().getString("parentId");
      assertFalse(y.equals(parentOfX) && x.equals(parentOfY), "round " + round + ": a cycle was left");
    }
  }

  @Test
  @DisplayName("an admin creates a root department and a child under it, and both read back")
  void createRootAndChild() {
    String rootName = "区政府办-" + Client.unique();
    Client.Response root = create(admin, rootName, null);
    assertEquals(201, root.status(), root::toString);
    String rootId = root.json().getString("id");
    assertTrue(rootId.matches("[0-9a-f]{24}"), root::toString);
    assertEquals(rootName, root.json().getString("name"));
    assertNull(root.json().getString("parentId"));

    Client.Response child = create(admin, "督查科", rootId);
    assertEquals(201, child.status(), child::toString);
    assertEquals(rootId, child.json().getString("parentId"));
    Client.Response read = client.get("/api/v1/departments/" + child.json().getString("id"), admin);
    assertEquals(200, read.status(), read::toString);
    assertEquals(child.json(), read.json());

    JsonObject entry = auditEntry(client, admin, "department.create", target(rootId));
    assertEquals(rootName, entry.getJsonObject("after").getString("name"));
    assertNotNull(auditEntry(client, admin, "department.create", target(child.json().getString("id"))));
  }

  @Test
  @DisplayName("a parent that does not exist is a 400 unknown-department, a malformed one an invalid body")
  void unknownParent() {
    Client.Response unknown = create(admin, "孤儿科-" + Client.unique(), "0123456789abcdef01234567");
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown-department", unknown.problemCode());
    Client.Response malformed = create(admin, "孤儿科-" + Client.unique(), "nope");
    assertEquals(400, malformed.status(), malformed::toString);
    assertEquals(List.of("parentId"), errorFields(malformed));
  }

  @Test
  @DisplayName("a name may appear once under a parent (409 duplicate-department) but again under another parent")
  void siblingNamesAreUnique() {
    String first = client.department(admin, "教育局", null);
    String second = client.department(admin, "卫健委", null);
    assertEquals(201, create(admin, "办公室", first).status());
    Client.Response duplicate = create(admin, "办公室", first);
    assertEquals(409, duplicate.status(), duplicate::toString);
    assertEquals("duplicate-department", duplicate.problemCode());
    assertEquals(201, create(admin, "办公室", second).status());
    assertEquals(1, client.get("/api/v1/departments?parentId=" + first, admin).items().size());
  }

  @Test
  @DisplayName("a department needs a name")
  void nameRequired() {
    Client.Response response = client.post("/api/v1/departments", admin, new JsonObject());
    assertEquals(400, response.status(), response::toString);
    assertEquals(List.of("name"), errorFields(response));
  }

  @Test
  @DisplayName("only admins create departments; everyone signed in may read them")
  void nonAdmin() {
    String parent = client.department(admin, "发改委", null);
    Member editor = member(client, admin, List.of("editor", "dispatcher", "supervisor"), List.of());
    Client.Response response = create(editor.token(), "规划科-" + Client.unique(), parent);
    assertEquals(403, response.status(), response::toString);
    assertEquals("forbidden", response.problemCode());
    Client.Response children = client.get("/api/v1/departments?parentId=" + parent, editor.token());
    assertEquals(200, children.status(), children::toString);
    assertEquals(List.of(), children.items().getList());
    assertEquals(200, client.get("/api/v1/departments/" + parent, editor.token()).status());
  }

  // Changing

  @Test
  @DisplayName("an admin renames a department and the new name reads back")
  void rename() {
    String id = client.department(admin, "旧名", null);
    String name = "新名-" + Client.unique();
    Client.Response renamed = client.patch("/api/v1/departments/" + id, admin, new JsonObject().put("name", name));
    assertEquals(200, renamed.status(), renamed::toString);
    assertEquals(name, renamed.json().getString("name"));
    assertEquals(name, client.get("/api/v1/departments/" + id, admin).json().getString("name"));
    JsonObject entry = auditEntry(client, admin, "department.update", target(id));
    assertEquals(name, entry.getJsonObject("after").getString("name"));
    assertTrue(entry.getJsonObject("before").getString("name").startsWith("旧名-"), entry::encode);
  }

  @Test
  @DisplayName("renaming onto a sibling's name is a 409 duplicate-department and the name stays")
  void renameOntoSibling() {
    String parent = client.department(admin, "公安局", null);
    assertEquals(201, create(admin, "治安科", parent).status());
    String other = create(admin, "交警科", parent).json().getString("id");
    Client.Response clash = client.patch("/api/v1/departments/" + other, admin, new JsonObject().put("name", "治安科"));
    assertEquals(409, clash.status(), clash::toString);
    assertEquals("duplicate-department", clash.problemCode());
    assertEquals("交警科", client.get("/api/v1/departments/" + other, admin).json().getString("name"));
  }

  @Test
  @DisplayName("moving a department under itself or its own descendant is a 409 department-cycle")
  void cycle() {
    String top = client.department(admin, "市委宣传部", null);
    String middle = client.department(admin, "网信办", top);
    String bottom = client.department(admin, "舆情科", middle);
    for (String target : List.of(middle, bottom, top)) {
      Client.Response response = client.patch("/api/v1/departments/" + top, admin, new JsonObject().put("parentId", target));
      assertEquals(409, response.status(), target + ": " + response);
      assertEquals("department-cycle", response.problemCode());
    }
    assertNull(client.get("/api/v1/departments/" + top, admin).json().getString("parentId"));
  }

  @Test
  @DisplayName("a department moves under another parent and back to the root")
  void move() {
    String from = client.department(admin, "住建局", null);
    String to = client.department(admin, "自然资源局", null);
    String moving = client.department(admin, "测绘科", from);
    Client.Response moved = client.patch("/api/v1/departments/" + moving, admin, new JsonObject().put("parentId", to));
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(List.of(), ids(client.get("/api/v1/departments?parentId=" + from, admin)));
    assertEquals(List.of(moving), ids(client.get("/api/v1/departments?parentId=" + to, admin)));

    Client.Response toRoot = client.patch("/api/v1/departments/" + moving, admin, new JsonObject().putNull("parentId"));
    assertEquals(200, toRoot.status(), toRoot::toString);
    assertNull(toRoot.json().getString("parentId"));
  }

  @Test
  @DisplayName("moving under a department that does not exist is a 400 unknown-department")
  void moveUnderUnknown() {
    String id = client.department(admin, "农业局", null);
    Client.Response response = client.patch("/api/v1/departments/" + id, admin,
      new JsonObject().put("parentId", "0123456789abcdef01234567"));
    assertEquals(400, response.status(), response::toString);
    assertEquals("unknown-department", response.problemCode());
  }

  @Test
  @DisplayName("only admins change departments")
  void nonAdminPatch() {
    String id = client.department(admin, "水务局", null);
    Member editor = member(client, admin, List.of("editor"), List.of());
    Client.Response response = client.patch("/api/v1/departments/" + id, editor.token(), new JsonObject().put("name", "x"));
    assertEquals(403, response.status(), response::toString);
    assertTrue(client.get("/api/v1/departments/" + id, admin).json().getString("name").startsWith("水务局-"));
  }

  // Reading

  @Test
  @DisplayName("?parentId= lists only that department's direct children")
  void childrenOnly() {
    String parent = client.department(admin, "民政局", null);
    String a = client.department(admin, "社救科", parent);
    String b = client.department(admin, "婚登科", parent);
    client.department(admin, "婚登窗口", b);
    assertEquals(Set.of(a, b), new HashSet<>(ids(client.get("/api/v1/departments?parentId=" + parent, admin))));
    Client.Response bad = client.get("/api/v1/departments?parentId=nope", admin);
    assertEquals(400, bad.status(), bad::toString);
    assertEquals("invalid-parameter", bad.problemCode());
  }

  @Test
  @DisplayName("paging with limit=1 hands out a cursor and walks every child exactly once")
  void paging() {
    String parent = client.department(admin, "人社局", null);
    Set<String> created = Set.of(client.department(admin, "就业科", parent), client.department(admin, "社保科", parent),
      client.department(admin, "劳动监察科", parent));
    List<String> walked = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 10 && cursor != null; page++) {
      Client.Response response = client.get("/api/v1/departments?limit=1&parentId=" + parent + "&cursor=" + cursor, admin);
      assertEquals(200, response.status(), response::toString);
      assertTrue(response.items().size() <= 1, response::toString);
      walked.addAll(ids(response));
      cursor = response.json().getString("next");
      if (walked.size() < created.size()) {
        assertNotNull(cursor, "no next cursor after " + walked.size() + " of " + created.size());
      }
    }
    assertNull(cursor);
    assertEquals(created.size(), walked.size(), walked::toString);
    assertEquals(created, new HashSet<>(walked));
  }

  @Test
  @DisplayName("a malformed or unknown department id is a 404")
  void notFound() {
    Client.Response malformed = client.get("/api/v1/departments/not-an-id", admin);
    assertEquals(404, malformed.status(), malformed::toString);
    assertEquals("not-found", malformed.problemCode());
    assertEquals(404, client.get("/api/v1/departments/0123456789abcdef01234567", admin).status());
    assertEquals(404, client.patch("/api/v1/departments/not-an-id", admin, new JsonObject().put("name", "x")).status());
  }
}
