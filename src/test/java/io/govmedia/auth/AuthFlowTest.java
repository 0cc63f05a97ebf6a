package io.govmedia.auth;

import io.govmedia.auth.AuthFixtures.Member;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.govmedia.auth.AuthFixtures.actor;
import static io.govmedia.auth.AuthFixtures.auditEntry;
import static io.govmedia.auth.AuthFixtures.errorFields;
import static io.govmedia.auth.AuthFixtures.login;
import static io.govmedia.auth.AuthFixtures.member;
import static io.govmedia.auth.AuthFixtures.refresh;
import static io.govmedia.auth.AuthFixtures.sessionOf;
import static io.govmedia.auth.AuthFixtures.staffBody;
import static io.govmedia.auth.AuthFixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Signing in, refreshing, signing out and changing one's password")
class AuthFlowTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  // Login

  @Test
  @DisplayName("the right password gives an access token, a refresh token and its lifetime, and the token works")
  void rightPassword() {
    Member member = member(client, admin, List.of("editor"), List.of());
    JsonObject tokens = member.login().json();
    assertFalse(tokens.getString("accessToken", "").isBlank(), tokens::encode);
    assertFalse(tokens.getString("refreshToken", "").isBlank(), tokens::encode);
    assertNotEquals(tokens.getString("accessToken"), tokens.getString("refreshToken"));
    assertEquals(900L, tokens.getLong("expiresIn"));
    assertEquals(member.username(), client.get("/api/v1/auth/me", member.token()).json().getString("username"));
    assertNotNull(auditEntry(client, admin, "auth.login", actor(member.id())));
  }

  @Test
  @DisplayName("a wrong password and an unknown user get the same 401 invalid-credentials")
  void wrongPasswordAndUnknownUser() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response wrong = login(client, member.username(), "Wrong-Passw0rd-123");
    Client.Response unknown = login(client, "nobody" + Client.unique(), "Wrong-Passw0rd-123");
    assertEquals(401, wrong.status(), wrong::toString);
    assertEquals("invalid-credentials", wrong.problemCode());
    assertEquals(401, unknown.status(), unknown::toString);
    assertEquals("invalid-credentials", unknown.problemCode());
    assertEquals(wrong.json().getString("title"), unknown.json().getString("title"));
    assertFalse(wrong.text().contains("accessToken"));
  }

  @Test
  @DisplayName("a query operator in place of the username is refused as an invalid body naming username")
  void operatorInjection() {
    Client.Response response = client.post("/api/v1/auth/login", null,
      new JsonObject().put("username", new JsonObject().put("$gt", "")).put("password", "x"));
    assertEquals(400, response.status(), response::toString);
    assertEquals(List.of("username"), errorFields(response));
  }

  @Test
  @DisplayName("a login without username and password lists both missing fields")
  void missingFields() {
    Client.Response response = client.post("/api/v1/auth/login", null, new JsonObject());
    assertEquals(400, response.status(), response::toString);
    List<String> fields = errorFields(response);
    assertTrue(fields.containsAll(List.of("username", "password")), fields::toString);
  }

  // Throttle

  @Test
  @DisplayName("after five wrong passwords even the right one is refused with 429 and a Retry-After")
  void throttle() {
    Member member = member(client, admin, List.of("replier"), List.of());
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(client, member.username(), "Wrong-Passw0rd-" + i).status());
    }
    Client.Response locked = login(client, member.username(), member.password());
    assertEquals(429, locked.status(), locked::toString);
    assertEquals("too-many-login-failures", locked.problemCode());
    long retryAfter = Long.parseLong(locked.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 900, "Retry-After " + retryAfter);
    assertFalse(locked.text().contains("accessToken"));
  }

  @Test
  @DisplayName("twenty wrong passwords sent at once get at most five checks; the rest are refused with 429")
  void throttleParallel() throws Exception {
    Member member = member(client, admin, List.of("editor"), List.of());
    var attempts = java.util.stream.IntStream.range(0, 20).mapToObj(i -> java.util.concurrent.CompletableFuture
      .supplyAsync(() -> login(client, member.username(), "Wrong-Passw0rd-" + i))).toList();
    List<Integer> statuses = new java.util.ArrayList<>();
    for (var attempt : attempts) {
      statuses.add(attempt.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
    }
    assertTrue(statuses.stream().filter(s -> s == 401).count() <= 5, statuses::toString);
    assertEquals(20, statuses.stream().filter(s -> s == 401 || s == 429).count(), statuses::toString);
    assertEquals(429, login(client, member.username(), member.password()).status());
  }

  @Test
  @DisplayName("a password is used exactly as typed: spaces around it are part of it")
  void passwordNotTrimmed() {
    String username = "u" + Client.unique();
    String password = "  Spaced-Passw0rd  ";
    assertEquals(201, client.post("/api/v1/staff", admin, staffBody(username, password, List.of("editor"), List.of())).status());
    assertEquals(200, login(client, username, password).status());
    assertEquals(401, login(client, username, password.strip()).status());
  }

  @Test
  @DisplayName("a successful login clears the failures before it, so occasional typos never lock anyone out")
  void throttleResets() {
    Member member = member(client, admin, List.of("replier"), List.of());
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(401, login(client, member.username(), "Wrong-Passw0rd-" + i).status());
      }
      Client.Response right = login(client, member.username(), member.password());
      assertEquals(200, right.status(), right::toString);
    }
  }

  // Refresh

  @Test
  @DisplayName("a refresh hands out a new pair that works, and the old access token keeps working until it expires")
  void refreshRotates() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response refreshed = refresh(client, member.refreshToken());
    assertEquals(200, refreshed.status(), refreshed::toString);
    String access = refreshed.json().getString("accessToken");
    String next = refreshed.json().getString("refreshToken");
    assertNotEquals(member.refreshToken(), next);
    assertEquals(200, client.get("/api/v1/auth/me", access).status());
    assertEquals(200, client.get("/api/v1/auth/me", member.token()).status());
    assertEquals(200, refresh(client, next).status());
  }

  @Test
  @DisplayName("reusing a spent refresh token revokes the whole session: the newer refresh token and the access token stop working")
  void refreshReuse() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response refreshed = refresh(client, member.refreshToken());
    assertEquals(200, refreshed.status(), refreshed::toString);
    String newAccess = refreshed.json().getString("accessToken");
    String newRefresh = refreshed.json().getString("refreshToken");

    Client.Response replay = refresh(client, member.refreshToken());
    assertEquals(401, replay.status(), replay::toString);
    assertEquals("refresh-token-reused", replay.problemCode());

    Client.Response afterRevocation = refresh(client, newRefresh);
    assertEquals(401, afterRevocation.status(), afterRevocation::toString);
    assertEquals("invalid-refresh-token", afterRevocation.problemCode());
    assertEquals(401, client.get("/api/v1/auth/me", newAccess).status());
    assertEquals(401, client.get("/api/v1/auth/me", member.token()).status());

    assertNotNull(auditEntry(client, admin, "auth.refresh-reused", target(sessionOf(member.token()))));
  }

  @Test
  @DisplayName("an unknown refresh token is a 401 invalid-refresh-token")
  void unknownRefreshToken() {
    Client.Response response = refresh(client, "not-a-token-" + Client.unique());
    assertEquals(401, response.status(), response::toString);
    assertEquals("invalid-refresh-token", response.problemCode());
  }

  @Test
  @DisplayName("a session's refresh does not affect another session of the same member")
  void sessionsAreSeparate() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response second = login(client, member.username(), member.password());
    refresh(client, member.refreshToken());
    assertEquals(401, refresh(client, member.refreshToken()).status());
    assertEquals(200, client.get("/api/v1/auth/me", second.json().getString("accessToken")).status());
    assertEquals(200, refresh(client, second.json().getString("refreshToken")).status());
  }

  // Logout

  @Test
  @DisplayName("logout ends the session: its access token and refresh token are refused afterwards")
  void logout() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response out = client.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", member.refreshToken()));
    assertEquals(204, out.status(), out::toString);
    Client.Response me = client.get("/api/v1/auth/me", member.token());
    assertEquals(401, me.status(), me::toString);
    assertEquals("unauthorized", me.problemCode());
    assertEquals(401, refresh(client, member.refreshToken()).status());
    assertNotNull(auditEntry(client, admin, "auth.logout", target(sessionOf(member.token()))));
  }

  @Test
  @DisplayName("the audit log names the member who logged out, not the system")
  void logoutActor() {
    Member member = member(client, admin, List.of("editor"), List.of());
    client.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", member.refreshToken()));
    JsonObject entry = auditEntry(client, admin, "auth.logout", target(sessionOf(member.token())));
    assertEquals(member.id(), entry.getJsonObject("actor").getString("id"), entry::encode);
  }

  @Test
  @DisplayName("logging out with an unknown refresh token is harmless and answers 204")
  void logoutUnknown() {
    Client.Response out = client.post("/api/v1/auth/logout", null, new JsonObject().put("refreshToken", "gone-" + Client.unique()));
    assertEquals(204, out.status(), out::toString);
  }

  // Own record and password

  @Test
  @DisplayName("guessing the current password on the password-change route is throttled like logins")
  void passwordChangeThrottled() {
    Member member = member(client, admin, List.of("editor"), List.of());
    JsonObject guess = new JsonObject().put("currentPassword", "Wrong-Guess-123").put("newPassword", "Brand-New-Passw0rd");
    for (int i = 0; i < 5; i++) {
      assertEquals(400, client.post("/api/v1/auth/password", member.token(), guess).status());
    }
    JsonObject right = new JsonObject().put("currentPassword", member.password()).put("newPassword", "Brand-New-Passw0rd");
    Client.Response locked = client.post("/api/v1/auth/password", member.token(), right);
    assertEquals(429, locked.status(), locked::toString);
    assertEquals("too-many-login-failures", locked.problemCode());
    assertEquals(429, login(client, member.username(), member.password()).status(),
      "the same counter locks sign-in from that address");
  }

  @Test
  @DisplayName("/auth/me shows the member's own record without any password hash")
  void ownRecord() {
    Member member = member(client, admin, List.of("editor", "reviewer"), List.of());
    Client.Response me = client.get("/api/v1/auth/me", member.token());
    assertEquals(200, me.status(), me::toString);
    JsonObject record = me.json();
    assertEquals(member.id(), record.getString("id"));
    assertEquals(member.username(), record.getString("username"));
    assertEquals(List.of("editor", "reviewer"), record.getJsonArray("roles").getList());
    assertFalse(record.containsKey("passwordHash"), record::encode);
    assertFalse(record.containsKey("password"), record::encode);
    assertFalse(me.text().contains("argon2"), me::text);
  }

  @Test
  @DisplayName("changing one's password needs the current one, then only the new one signs in and old sessions end")
  void changePassword() {
    Member member = member(client, admin, List.of("editor"), List.of());
    String fresh = "New-Passw0rd-" + Client.unique();

    Client.Response wrongCurrent = client.post("/api/v1/auth/password", member.token(),
      new JsonObject().put("currentPassword", "Not-The-Passw0rd-1").put("newPassword", fresh));
    assertEquals(400, wrongCurrent.status(), wrongCurrent::toString);
    assertEquals("invalid-credentials", wrongCurrent.problemCode());
    assertEquals(200, login(client, member.username(), member.password()).status());

    Client.Response changed = client.post("/api/v1/auth/password", member.token(),
      new JsonObject().put("currentPassword", member.password()).put("newPassword", fresh));
    assertEquals(204, changed.status(), changed::toString);
    assertEquals(401, login(client, member.username(), member.password()).status());
    assertEquals(200, login(client, member.username(), fresh).status());
    assertEquals(401, client.get("/api/v1/auth/me", member.token()).status());
    assertEquals(401, refresh(client, member.refreshToken()).status());

    JsonObject entry = auditEntry(client, admin, "staff.password", target(member.id()));
    assertFalse(entry.encode().contains(fresh), entry::encode);
  }

  @Test
  @DisplayName("a weak new password is refused with weak-password and the old password still works")
  void weakPassword() {
    Member member = member(client, admin, List.of("editor"), List.of());
    Client.Response weak = client.post("/api/v1/auth/password", member.token(),
      new JsonObject().put("currentPassword", member.password()).put("newPassword", "password"));
    assertEquals(400, weak.status(), weak::toString);
    assertEquals("weak-password", weak.problemCode());
    assertEquals(200, login(client, member.username(), member.password()).status());
  }
}
