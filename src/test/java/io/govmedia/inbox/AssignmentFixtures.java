package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.auth.AuthFeature;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Staff, departments and access to a running server's routing and assignment, for the inbox's routing tests. */
final class AssignmentFixtures {

  /** A staff member created for a test; {@link #token} signs them in (a password check takes a while: only on use). */
  record Member(String id, String username, String password, Client client) {
    String token() {
      return client.login(username, password);
    }
  }

  private AssignmentFixtures() {
  }

  static Member member(Client client, String admin, List<String> roles, List<String> departmentIds,
                       List<String> headOf) {
    String username = "u" + Client.unique();
    String password = "Staff-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin, new JsonObject().put("username", username)
      .put("displayName", "测试人员").put("password", password).put("roles", new JsonArray(roles))
      .put("departmentIds", new JsonArray(departmentIds)).put("headOf", new JsonArray(headOf)));
    assertEquals(201, created.status(), created::toString);
    return new Member(created.json().getString("id"), username, password, client);
  }

  static Member replier(Client client, String admin, String departmentId) {
    return member(client, admin, List.of("replier"), List.of(departmentId), List.of());
  }

  static Client.Response put(Client client, String path, String token, JsonObject body) {
    return client.raw("PUT", path, token, "application/json", body.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static Client.Response delete(Client client, String path, String token) {
    return client.raw("DELETE", path, token, null, null);
  }

  static Client.Response setAvailable(Client client, String staffId, String token, boolean available) {
    return put(client, "/api/v1/staff/" + staffId + "/availability", token, new JsonObject().put("available", available));
  }

  static Assignment assignment(Main.Running server) {
    return server.feature(InboxFeature.class).assignment();
  }

  static Routing routing(Main.Running server) {
    return server.feature(InboxFeature.class).routing();
  }

  static Main.Running shared() {
    return TestServer.get().running();
  }

  /** Waits until the server's directory of who is on duty names exactly these in the department. */
  static void awaitOnDuty(Main.Running server, String departmentId, List<String> staffIds) {
    awaitTrue(() -> server.feature(AuthFeature.class).staffDirectory().onDuty(departmentId).stream().sorted().toList()
      .equals(staffIds.stream().sorted().toList()), "on duty in " + departmentId + ": " + staffIds);
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within 10 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The newest audit entry with this action about this target (among the latest 200), or null. */
  static JsonObject auditEntry(Client client, String admin, String action, String targetId) {
    Client.Response page = client.get("/api/v1/audit?limit=200", admin);
    assertEquals(200, page.status(), page::toString);
    return page.items().stream().map(JsonObject.class::cast)
      .filter(e -> action.equals(e.getString("action")) && targetId.equals(e.getString("targetId")))
      .findFirst().orElse(null);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
  }
}
