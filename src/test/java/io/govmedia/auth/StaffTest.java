package io.govmedia.auth;

import io.govmedia.Main;
import io.govmedia.auth.AuthFixtures.Member;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.govmedia.auth.AuthFixtures.auditEntry;
import static io.govmedia.auth.AuthFixtures.errorFields;
import static io.govmedia.auth.AuthFixtures.login;
import static io.govmedia.auth.AuthFixtures.member;
import static io.govmedia.auth.AuthFixtures.staffBody;
import static io.govmedia.auth.AuthFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Managing staff")
class StaffTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  // Finding

  @Test
  @DisplayName("the list finds members by part of the username or display name, any case, special characters literal")
  void searchByName() {
    String tag = Client.unique();
    String username = "find." + tag;
    client.post("/api/v1/staff", admin, staffBody(username, "Find-Passw0rd-" + tag, List.of("editor"), List.of())
      .put("displayName", "Zhou (" + tag + ")"));
    client.post("/api/v1/staff", admin, staffBody("other." + Client.unique(), "Find-Passw0rd-" + tag, List.of("editor"),
      List.of()).put("displayName", "李四"));
    assertEquals(List.of(username), usernames("?q=FIND." + tag.toUpperCase()));
    assertEquals(List.of(username), usernames("?q=" + java.net.URLEncoder.encode("zhou (" + tag, java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(List.of(), usernames("?q=" + java.net.URLEncoder.encode("Zhou .*" + tag, java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(400, client.get("/api/v1/staff?q=" + "x".repeat(65), admin).status());
  }

  private static List<String> usernames(String query) {
    Client.Response response = client.get("/api/v1/staff" + query, admin);
    assertEquals(200, response.status(), response::toString);
    return response.items().stream().map(JsonObject.class::cast).map(m -> m.getString("username")).toList();
  }

  // Creating

  @Test
  @DisplayName("an admin creates a member and gets the record back with an id, without any password material")
  void create() {
    String department = client.department(admin, "宣传科", null);
    String username = "zhang." + Client.unique();
    String password = "Zhang-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin,
      staffBody(username, password, List.of("replier", "editor"), List.of(department)).put("displayName", "张三"));
    assertEquals(201, created.status(), created::toString);
    JsonObject member = created.json();
    assertTrue(member.getString("id").matches("[0-9a-f]{24}"), member::encode);
    assertEquals(username, member.getString("username"));
    assertEquals("张三", member.getString("displayName"));
    assertEquals(List.of("editor", "replier"), member.getJsonArray("roles").getList());
    assertEquals(List.of(department), member.getJsonArray("departmentIds").getList());
    assertEquals(false, member.getBoolean("disabled"));
    assertFalse(member.containsKey("password") || member.containsKey("passwordHash"), member::encode);
    assertFalse(created.text().contains(password) || created.text().contains("argon2"), created::text);

    assertEquals(member, client.get("/api/v1/staff/" + member.getString("id"), admin).json());
    assertEquals(200, login(client, username, password).status());

    JsonObject entry = auditEntry(client, admin, "staff.create", target(member.getString("id")));
    JsonObject after = entry.getJsonObject("after");
    assertEquals(username, after.getString("username"));
    assertFalse(after.containsKey("password") || after.containsKey("passwordHash"), after::encode);
    assertFalse(entry.encode().contains(password) || entry.encode().contains("argon2"), entry::encode);
  }

  @Test
  @DisplayName("a username already taken is a 409 duplicate-username")
  void duplicateUsername() {
    Member existing = member(client, admin, List.of("editor"), List.of());
    Client.Response again = client.post("/api/v1/staff", admin,
      staffBody(existing.username(), "Other-Passw0rd-1", List.of("admin"), List.of()));
    assertEquals(409, again.status(), again::toString);
    assertEquals("duplicate-username", again.problemCode());
    assertEquals(200, login(client, existing.username(), existing.password()).status());
  }

  @Test
  @DisplayName("an unknown role is an invalid body whose errors point at roles")
  void unknownRole() {
    Client.Response response = client.post("/api/v1/staff", admin,
      staffBody("u" + Client.unique(), "Valid-Passw0rd-1", List.of("superuser"), List.of()));
    assertEquals(400, response.status(), response::toString);
    assertEquals(List.of("roles"), errorFields(response));
    assertTrue(response.text().contains("superuser"), response::text);
  }

  @Test
  @DisplayName("a member needs at least one role")
  void noRole() {
    Client.Response response = client.post("/api/v1/staff", admin,
      staffBody("u" + Client.unique(), "Valid-Passw0rd-1", List.of(), List.of()));
    assertEquals(400, response.status(), response::toString);
    assertEquals(List.of("roles"), errorFields(response));
  }

  @Test
  @DisplayName("usernames that are not lower-case letters, digits and _ . - starting with a letter are refused")
  void badUsername() {
    for (String bad : List.of("Zhang San", "9lives", "ab", "张三", "a".repeat(33))) {
      Client.Response response = client.post("/api/v1/staff", admin,
        staffBody(bad, "Valid-Passw0rd-1", List.of("editor"), List.of()));
      assertEquals(400, response.status(), bad + ": " + response);
      assertEquals(List.of("username"), errorFields(response), bad);
    }
  }

  @Test
  @DisplayName("a weak password is refused with weak-password and nobody is created")
  void weakPassword() {
    String username = "u" + Client.unique();
    Client.Response response = client.post("/api/v1/staff", admin,
      staffBody(username, "abcdefghij", List.of("editor"), List.of()));
    assertEquals(400, response.status(), response::toString);
    assertEquals("weak-password", response.problemCode());
    assertEquals(201, client.post("/api/v1/staff", admin,
      staffBody(username, "Strong-Passw0rd-1", List.of("editor"), List.of())).status());
  }

  @Test
  @DisplayName("departments that do not exist are refused with unknown-reference naming them")
  void unknownDepartment() {
    String real = client.department(admin, "办公室", null);
    String missing = "0123456789abcdef01234567";
    Client.Response response = client.post("/api/v1/staff", admin,
      staffBody("u" + Client.unique(), "Valid-Passw0rd-1", List.of("replier"), List.of(real, missing)));
    assertEquals(400, response.status(), response::toString);
    assertEquals("unknown-reference", response.problemCode());
    assertEquals(List.of(missing), response.json().getJsonArray("departmentIds").getList());
  }

  // Who may see whom

  @Test
  @DisplayName("only admins create staff: an editor gets 403 forbidden and nobody is created")
  void editorCannotCreate() {
    Member editor = member(client, admin, List.of("editor"), List.of());
    String username = "u" + Client.unique();
    Client.Response response = client.post("/api/v1/staff", editor.token(),
      staffBody(username, "Valid-Passw0rd-1", List.of("admin"), List.of()));
    assertEquals(403, response.status(), response::toString);
    assertEquals("forbidden", response.problemCode());
    assertEquals(401, login(client, username, "Valid-Passw0rd-1").status());
  }

  @Test
  @DisplayName("a replier may not list staff")
  void replierCannotList() {
    Member replier = member(client, admin, List.of("replier"), List.of());
    Client.Response response = client.get("/api/v1/staff", replier.token());
    assertEquals(403, response.status(), response::toString);
    assertEquals("forbidden", response.problemCode());
  }

  @Test
  @DisplayName("a dispatcher sees the staff of its department and sub-departments, not those of another department")
  void dispatcherScope() {
    String office = client.department(admin, "信访办", null);
    String section = client.department(admin, "接访科", office);
    String other = client.department(admin, "财政局", null);
    Member dispatcher = member(client, admin, List.of("dispatcher"), List.of(office));
    Member inOffice = member(client, admin, List.of("replier"), List.of(office));
    Member inSection = member(client, admin, List.of("replier"), List.of(section));
    Member elsewhere = member(client, admin, List.of("replier"), List.of(other));

    Client.Response list = client.get("/api/v1/staff", dispatcher.token());
    assertEquals(200, list.status(), list::toString);
    Set<String> seen = list.items().stream().map(s -> ((JsonObject) s).getString("id")).collect(Collectors.toSet());
    assertEquals(Set.of(dispatcher.id(), inOffice.id(), inSection.id()), seen);
    assertFalse(list.text().contains("passwordHash"));

    assertEquals(200, client.get("/api/v1/staff/" + inSection.id(), dispatcher.token()).status());
    Client.Response foreign = client.get("/api/v1/staff/" + elsewhere.id(), dispatcher.token());
    assertEquals(403, foreign.status(), foreign::toString);
    assertEquals("forbidden", foreign.problemCode());
  }

  @Test
  @DisplayName("an admin's list includes members of every department")
  void adminSeesEveryone() {
    Member member = member(client, admin, List.of("replier"), List.of(client.department(admin, "税务局", null)));
    String cursor = "";
    boolean found = false;
    for (int page = 0; page < 20 && cursor != null && !found; page++) {
      Client.Response list = client.get("/api/v1/staff?limit=200&cursor=" + cursor, admin);
      assertEquals(200, list.status(), list::toString);
      found = list.items().stream().anyMatch(s -> member.id().equals(((JsonObject) s).getString("id")));
      cursor = list.json().getString("next");
    }
    assertTrue(found, "new member missing from the admin's list");
  }

  @Test
  @DisplayName("a replier reads its own record but gets 403 for someone else's")
  void replierReadsOnlySelf() {
    String department = client.department(admin, "城管局", null);
    Member replier = member(client, admin, List.of("replier"), List.of(department));
    Member colleague = member(client, admin, List.of("replier"), List.of(department));
    Client.Response own = client.get("/api/v1/staff/" + replier.id(), replier.token());
    assertEquals(200, own.status(), own::toString);
    assertEquals(replier.username(), own.json().getString("username"));
    Client.Response other = client.get("/api/v1/staff/" + colleague.id(), replier.token());
    assertEquals(403, other.status(), other::toString);
    assertEquals("forbidden", other.problemCode());
  }

  @Test
  @DisplayName("a malformed or unknown staff id is a 404")
  void unknownStaff() {
    assertEquals(404, client.get("/api/v1/staff/not-an-id", admin).status());
    Client.Response unknown = client.get("/api/v1/staff/0123456789abcdef01234567", admin);
    assertEquals(404, unknown.status(), unknown::toString);
    assertEquals("not-found", unknown.problemCode());
  }

  // Changing

  @Test
  @DisplayName("roles changed by an admin apply to the member's next request with the same token")
  void promote() {
    Member editor = member(client, admin, List.of("editor"), List.of());
    JsonObject department = new JsonObject().put("name", "新部门-" + Client.unique());
    assertEquals(403, client.post("/api/v1/departments", editor.token(), department).status());

    Client.Response patched = client.patch("/api/v1/staff/" + editor.id(), admin,
      new JsonObject().put("roles", new JsonArray(List.of("editor", "admin"))));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals(List.of("admin", "editor"), patched.json().getJsonArray("roles").getList());
    Client.Response created = client.post("/api/v1/departments", editor.token(), department);
    assertEquals(201, created.status(), created::toString);

    client.patch("/api/v1/staff/" + editor.id(), admin, new JsonObject().put("roles", new JsonArray(List.of("editor"))));
    assertEquals(403, client.post("/api/v1/departments", editor.token(),
      new JsonObject().put("name", "又一部门-" + Client.unique())).status());

    JsonObject entry = auditEntry(client, admin, "staff.update",
      e -> editor.id().equals(e.getString("targetId")) && e.getJsonObject("after").getJsonArray("roles").contains("admin"));
    assertEquals(List.of("editor"), entry.getJsonObject("before").getJsonArray("roles").getList());
  }

  @Test
  @DisplayName("disabling a member stops its existing access token at once and its password no longer signs in")
  void disable() {
    Member member = member(client, admin, List.of("editor"), List.of());
    assertEquals(200, client.get("/api/v1/auth/me", member.token()).status());
    Client.Response patched = client.patch("/api/v1/staff/" + member.id(), admin, new JsonObject().put("disabled", true));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals(true, patched.json().getBoolean("disabled"));

    Client.Response me = client.get("/api/v1/auth/me", member.token());
    assertEquals(401, me.status(), me::toString);
    assertEquals(401, AuthFixtures.refresh(client, member.refreshToken()).status());
    Client.Response login = login(client, member.username(), member.password());
    assertEquals(401, login.status(), login::toString);
    assertEquals("invalid-credentials", login.problemCode());

    JsonObject entry = auditEntry(client, admin, "staff.update", target(member.id()));
    assertEquals(true, entry.getJsonObject("after").getBoolean("disabled"));
  }

  @Test
  @DisplayName("an admin's password reset signs the member out and the new password works")
  void passwordReset() {
    Member member = member(client, admin, List.of("editor"), List.of());
    String fresh = "Reset-Passw0rd-" + Client.unique();
    Client.Response patched = client.patch("/api/v1/staff/" + member.id(), admin, new JsonObject().put("password", fresh));
    assertEquals(200, patched.status(), patched::toString);
    assertFalse(patched.text().contains(fresh));
    assertEquals(401, client.get("/api/v1/auth/me", member.token()).status());
    assertEquals(401, login(client, member.username(), member.password()).status());
    assertEquals(200, login(client, member.username(), fresh).status());
    JsonObject entry = auditEntry(client, admin, "staff.update", target(member.id()));
    assertEquals(true, entry.getJsonObject("after").getBoolean("passwordReset"));
    assertFalse(entry.encode().contains(fresh), entry::encode);
  }

  @Test
  @DisplayName("an admin can neither disable itself nor drop its own admin role (409 self-lockout)")
  void selfLockout() {
    Member second = member(client, admin, List.of("admin"), List.of());
    Client.Response disable = client.patch("/api/v1/staff/" + second.id(), second.token(), new JsonObject().put("disabled", true));
    assertEquals(409, disable.status(), disable::toString);
    assertEquals("self-lockout", disable.problemCode());
    Client.Response demote = client.patch("/api/v1/staff/" + second.id(), second.token(),
      new JsonObject().put("roles", new JsonArray(List.of("editor"))));
    assertEquals(409, demote.status(), demote::toString);
    assertEquals("self-lockout", demote.problemCode());

    JsonObject me = client.get("/api/v1/auth/me", second.token()).json();
    assertEquals(false, me.getBoolean("disabled"));
    assertEquals(List.of("admin"), me.getJsonArray("roles").getList());
  }

  @Test
  @DisplayName("two admins demoting each other at once never leave the office without an administrator")
  void lastAdmin() throws Exception {
    String database = "govmedia_admins_" + Client.unique();
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_MONGO_DATABASE", database))) {
      Client own = new Client(server.port());
      String first = own.adminToken();
      String firstId = own.get("/api/v1/auth/me", first).json().getString("id");
      Member second = member(own, first, List.of("admin"), List.of());
      JsonObject demote = new JsonObject().put("roles", new JsonArray(List.of("editor")));
      var a = CompletableFuture.supplyAsync(() -> own.patch("/api/v1/staff/" + second.id(), first, demote));
      var b = CompletableFuture.supplyAsync(() -> own.patch("/api/v1/staff/" + firstId, second.token(), demote));
      int statusA = a.get(30, TimeUnit.SECONDS).status();
      int statusB = b.get(30, TimeUnit.SECONDS).status();
      assertFalse(statusA == 200 && statusB == 200, "both demotions went through");

      long admins = Stream.of(own.login("admin", TestServer.ADMIN_PASSWORD), second.token())
        .map(token -> own.get("/api/v1/auth/me", token)).filter(me -> me.status() == 200)
        .filter(me -> me.json().getJsonArray("roles").contains("admin")).count();
      assertTrue(admins >= 1, "no administrator left");
    }
  }

  @Test
  @DisplayName("a PATCH made from a stale view (If-Match names an older version) is refused instead of overwriting")
  void staleEdit() {
    Member member = member(client, admin, List.of("editor"), List.of());
    long version = client.get("/api/v1/staff/" + member.id(), admin).json().getLong("version");
    Client.Response first = client.raw("PATCH", "/api/v1/staff/" + member.id(), admin, "application/json",
      new JsonObject().put("displayName", "张**").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
      Map.of("If-Match", "\"" + version + "\""));
    assertEquals(200, first.status(), first::toString);
    assertEquals(version + 1, first.json().getLong("version"));
    Client.Response stale = client.raw("PATCH", "/api/v1/staff/" + member.id(), admin, "application/json",
      new JsonObject().put("roles", new JsonArray(List.of("reviewer"))).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
      Map.of("If-Match", "\"" + version + "\""));
    assertEquals(409, stale.status(), stale::toString);
    assertEquals("edit-conflict", stale.problemCode());
    assertEquals(List.of("editor"), client.get("/api/v1/staff/" + member.id(), admin).json().getJsonArray("roles").getList());
  }

  @Test
  @DisplayName("an explicit null for departmentIds is refused rather than read as 'clear the scope'")
  void nullScope() {
    Member replier = member(client, admin, List.of("replier"), List.of(client.department(admin, "信访科", null)));
    Client.Response response = client.patch("/api/v1/staff/" + replier.id(), admin, new JsonObject().putNull("departmentIds"));
    assertEquals(400, response.status(), response::toString);
    assertEquals(1, client.get("/api/v1/staff/" + replier.id(), admin).json().getJsonArray("departmentIds").size());
  }

  @Test
  @DisplayName("the audit log is for admins only, and its hash chain verifies after these changes")
  void auditLog() {
    Member supervisor = member(client, admin, List.of("supervisor", "dispatcher"), List.of());
    Client.Response refused = client.get("/api/v1/audit", supervisor.token());
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertEquals(403, client.get("/api/v1/audit/verify", supervisor.token()).status());

    Client.Response verified = client.get("/api/v1/audit/verify", admin);
    assertEquals(200, verified.status(), verified::toString);
    assertEquals(true, verified.json().getBoolean("ok"), verified::toString);
    assertTrue(verified.json().getLong("checked") > 0, verified::toString);
  }

  @Test
  @DisplayName("only admins change staff: an editor's PATCH is 403 and changes nothing")
  void editorCannotPatch() {
    Member editor = member(client, admin, List.of("editor"), List.of());
    Client.Response response = client.patch("/api/v1/staff/" + editor.id(), editor.token(),
      new JsonObject().put("roles", new JsonArray(List.of("admin"))));
    assertEquals(403, response.status(), response::toString);
    assertEquals(List.of("editor"), client.get("/api/v1/auth/me", editor.token()).json().getJsonArray("roles").getList());
  }
}
