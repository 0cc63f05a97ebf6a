package io.govmedia.platform;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The stores over the server's life")
class StoresLifecycleTest {

  @Test
  @DisplayName("when Redis stops, /ready answers 503 naming Redis and requests needing it get 503; when it returns, all recovers")
  void redisOutage() throws Exception {
    EmbeddedRedis redis = EmbeddedRedis.start();
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_REDIS_URI", redis.uri()))) {
      Client client = new Client(server.port());
      assertEquals(200, client.get("/ready", null).status());

      redis.close();
      Client.Response down = client.get("/ready", null);
      assertEquals(503, down.status());
      assertEquals("DOWN", check(down.json(), "redis"));
      assertEquals("UP", check(down.json(), "mongodb"));
      Client.Response login = client.post("/api/v1/auth/login", null,
        new JsonObject().put("username", "admin").put("password", TestServer.ADMIN_PASSWORD));
      assertEquals(503, login.status(), login.toString());
      assertEquals("store-unavailable", login.problemCode());

      redis.restart();
      long deadline = System.currentTimeMillis() + 20_000;
      int status = 0;
      while (System.currentTimeMillis() < deadline && (status = client.get("/ready", null).status()) != 200) {
        Thread.sleep(200);
      }
      assertEquals(200, status, "/ready did not recover after Redis came back");
      assertTrue(client.adminToken().length() > 20);
    } finally {
      redis.close();
    }
  }

  @Test
  @DisplayName("a restart on the same data directory keeps departments, staff, accounts and an intact audit chain")
  void restartKeepsEverything(@TempDir Path dataDir) throws Exception {
    Map<String, String> embedded = Map.of("GOVMEDIA_DATA_DIR", dataDir.toString(), "GOVMEDIA_MONGO_URI", "",
      "GOVMEDIA_REDIS_URI", "", "GOVMEDIA_MONGO_DATABASE", "govmedia");
    String departmentId;
    String accountId;
    String password = "Reply-Passw0rd-" + Client.unique();
    long auditEntries;
    try (Main.Running first = TestServer.get().startAnother(embedded)) {
      Client client = new Client(first.port());
      String admin = client.adminToken();
      departmentId = client.department(admin, "住建局", null);
      assertEquals(201, client.post("/api/v1/staff", admin, new JsonObject().put("username", "keeper")
        .put("displayName", "王**").put("password", password).put("roles", new JsonArray(List.of("replier")))
        .put("departmentIds", new JsonArray(List.of(departmentId)))).status());
      Client.Response account = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_miniapp")
        .put("name", "住建服务小程序").put("departmentId", departmentId).put("appId", "wx0123456789abcdef")
        .put("appSecret", "0123456789abcdef0123456789abcdef"));
      assertEquals(201, account.status(), account.toString());
      accountId = account.json().getString("id");
      JsonObject verify = client.get("/api/v1/audit/verify", admin).json();
      assertTrue(verify.getBoolean("ok"));
      auditEntries = verify.getLong("checked");
    }
    String keyBefore = Files.readString(dataDir.resolve("master.key"));

    try (Main.Running second = TestServer.get().startAnother(embedded)) {
      Client client = new Client(second.port());
      String admin = client.adminToken();
      assertEquals(200, client.get("/api/v1/departments/" + departmentId, admin).status());
      JsonObject account = client.get("/api/v1/accounts/" + accountId, admin).json();
      assertEquals("住建服务小程序", account.getString("name"));
      assertTrue(account.getJsonObject("secretsSet").getBoolean("appSecret"));
      assertTrue(client.login("keeper", password).length() > 20, "staff password survives the restart");
      JsonObject verify = client.get("/api/v1/audit/verify", admin).json();
      assertTrue(verify.getBoolean("ok"), verify.encode());
      assertTrue(verify.getLong("checked") > auditEntries, "entries from both runs are in one chain");
    }
    assertEquals(keyBefore, Files.readString(dataDir.resolve("master.key")), "the generated master key is reused");
  }

  @Test
  @DisplayName("an instance with another master key than the database's refuses to start, naming the setting")
  void masterKeyMismatch() {
    String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    var e = org.junit.jupiter.api.Assertions.assertThrows(Config.ConfigException.class,
      () -> TestServer.get().startAnother(Map.of("GOVMEDIA_MASTER_KEY", otherKey)).close());
    assertTrue(e.getMessage().contains("GOVMEDIA_MASTER_KEY"), e.getMessage());
  }

  private static String check(JsonObject health, String id) {
    for (Object entry : health.getJsonArray("checks")) {
      JsonObject check = (JsonObject) entry;
      if (id.equals(check.getString("id"))) {
        return check.getString("status");
      }
    }
    throw new AssertionError("no check " + id + " in " + health.encode());
  }
}
