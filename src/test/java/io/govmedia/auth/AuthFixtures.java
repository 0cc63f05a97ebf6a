package io.govmedia.auth;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Staff members, problem fields and audit look-ups shared by the auth tests. */
final class AuthFixtures {

  /** A staff member created for one test, signed in once. */
  record Member(String id, String username, String password, Client.Response login) {
    String token() {
      return login.json().getString("accessToken");
    }

    String refreshToken() {
      return login.json().getString("refreshToken");
    }
  }

  private AuthFixtures() {
  }

  static JsonObject staffBody(String username, String password, List<String> roles, List<String> departmentIds) {
    return new JsonObject().put("username", username).put("displayName", "测试人员").put("password", password)
      .put("roles", new JsonArray(roles)).put("departmentIds", new JsonArray(departmentIds));
  }

  static Member member(Client client, String admin, List<String> roles, List<String> departmentIds) {
    String username = "u" + Client.unique();
    String password = "Staff-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin, staffBody(username, password, roles, departmentIds));
    assertEquals(201, created.status(), created::toString);
    Client.Response login = login(client, username, password);
    assertEquals(200, login.status(), login::toString);
    return new Member(created.json().getString("id"), username, password, login);
  }

  static Client.Response login(Client client, String username, String password) {
    return client.post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
  }

  static Client.Response refresh(Client client, String refreshToken) {
    return client.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", refreshToken));
  }

  /** The fields named in an invalid-body problem's {@code errors}. */
  static List<String> errorFields(Client.Response response) {
    assertEquals("invalid-body", response.problemCode(), response::toString);
    List<String> fields = new ArrayList<>();
    response.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  /**
   * The newest audit entry with this action matching {@code which}; fails when none is among the latest 2000 within
   * two seconds (the refresh-reuse entry is written after the answer).
   */
  static JsonObject auditEntry(Client client, String admin, String action, Predicate<JsonObject> which) {
    for (int attempt = 0; attempt < 20; attempt++) {
      JsonObject found = findAuditEntry(client, admin, action, which);
      if (found != null) {
        return found;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no audit entry " + action + " found");
  }

  private static JsonObject findAuditEntry(Client client, String admin, String action, Predicate<JsonObject> which) {
    String cursor = "";
    for (int page = 0; page < 10 && cursor != null; page++) {
      Client.Response response = client.get("/api/v1/audit?limit=200&cursor=" + cursor, admin);
      assertEquals(200, response.status(), response::toString);
      for (Object item : response.items()) {
        JsonObject entry = (JsonObject) item;
        if (action.equals(entry.getString("action")) && which.test(entry)) {
          return entry;
        }
      }
      cursor = response.json().getString("next");
    }
    return null;
  }

  /** The session an access token names (its {@code sid} claim), which audit entries about sessions point at. */
  static String sessionOf(String accessToken) {
    String payload = accessToken.split("\\.")[1];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).getString("sid");
  }

  static Predicate<JsonObject> target(String targetId) {
    return entry -> targetId.equals(entry.getString("targetId"));
  }

  static Predicate<JsonObject> actor(String staffId) {
    return entry -> staffId.equals(entry.getJsonObject("actor").getString("id"));
  }
}
