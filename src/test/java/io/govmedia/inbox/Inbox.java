package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the inbox tests share: staff with their ids, entering cases, acting on them, waiting for what is asynchronous. */
final class Inbox {

  /** A staff member created for a test. */
  record Member(String id, String token) {
  }

  private Inbox() {
  }

  static Member member(Client client, String admin, List<String> roles, List<String> departmentIds) {
    String username = "u" + Client.unique();
    String password = "Staff-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin, new JsonObject().put("username", username)
      .put("displayName", "办理人员").put("password", password).put("roles", new JsonArray(roles))
      .put("departmentIds", new JsonArray(departmentIds)));
    assertEquals(201, created.status(), created::toString);
    return new Member(created.json().getString("id"), client.login(username, password));
  }

  /** A member who heads {@code headOf} (among their departments). */
  static Member head(Client client, String admin, List<String> roles, List<String> departmentIds, List<String> headOf) {
    Member member = member(client, admin, roles, departmentIds);
    Client.Response set = client.patch("/api/v1/staff/" + member.id(), admin,
      new JsonObject().put("headOf", new JsonArray(headOf)));
    assertEquals(200, set.status(), set::toString);
    return member;
  }

  /** Sets how a department's cases find a replier: {@code auto} (the on-duty replier with the fewest) or {@code claim}. */
  static void assignmentMode(Client client, String admin, String departmentId, String mode) {
    Client.Response saved = client.raw("PUT", "/api/v1/reply-settings/" + departmentId, admin, "application/json",
      new JsonObject().put("assignment", mode).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(200, saved.status(), saved::toString);
    assertEquals(mode, saved.json().getString("assignment"));
  }

  static JsonObject phoneCase(String content) {
    return new JsonObject().put("channel", "phone").put("category", "complaint").put("title", "小区噪音扰民")
      .put("content", content).put("region", "东城区")
      .put("contact", new JsonObject().put("name", "张三丰").put("phone", "13812345678"));
  }

  /** A case entered by phone; it waits for dispatch (no routing rule matches). */
  static JsonObject enter(Client client, String token) {
    Client.Response created = client.post("/api/v1/cases", token, phoneCase("夜间施工噪音 " + Client.unique()));
    assertEquals(201, created.status(), created::toString);
    return created.json();
  }

  static Client.Response act(Client client, String token, String caseId, String action, JsonObject body) {
    return client.post("/api/v1/cases/" + caseId + "/" + action, token, body);
  }

  static JsonObject acted(Client client, String token, String caseId, String action, JsonObject body) {
    Client.Response response = act(client, token, caseId, action, body);
    assertEquals(200, response.status(), () -> action + ": " + response);
    return response.json();
  }

  static JsonObject read(Client client, String token, String caseId) {
    Client.Response response = client.get("/api/v1/cases/" + caseId, token);
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  /** Every case id of a list, following next. */
  static List<String> ids(Client client, String token, String query) {
    List<String> ids = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 100 && cursor != null; page++) {
      Client.Response response = client.get("/api/v1/cases?limit=200&" + query + "&cursor=" + cursor, token);
      assertEquals(200, response.status(), response::toString);
      response.items().forEach(item -> ids.add(((JsonObject) item).getString("id")));
      cursor = response.json().getString("next");
    }
    return ids;
  }

  /** Polls until {@code value} satisfies {@code done}; fails with the last value after {@code within}. */
  static <T> T eventually(Supplier<T> value, Predicate<T> done, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in " + within + "; last: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = value.get();
    }
    return last;
  }
}
