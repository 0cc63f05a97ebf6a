package io.govmedia.accounts;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Who sees and changes which channel accounts")
class AccountScopesTest {

  static Client client;
  static String admin;
  static String departmentA;
  static String departmentB;
  static String accountA;
  static String accountB;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    departmentA = client.department(admin, "城管局", null);
    departmentB = client.department(admin, "民政局", null);
    accountA = Fixtures.create(client, admin, Fixtures.wechatMp(departmentA, "service")).getString("id");
    accountB = Fixtures.create(client, admin, Fixtures.wechatMp(departmentB, "service")).getString("id");
  }

  @Test
  @DisplayName("an editor sees the accounts assigned to them and is refused the others")
  void editorScopedByAccount() {
    String editor = client.staffToken(admin, List.of("editor"), List.of(departmentB), List.of(accountA));

    assertEquals(200, client.get("/api/v1/accounts/" + accountA, editor).status());
    Client.Response other = client.get("/api/v1/accounts/" + accountB, editor);
    assertEquals(403, other.status(), other::toString);
    assertEquals("forbidden", other.problemCode());
    List<String> listed = Fixtures.ids(Fixtures.listAll(client, editor, null));
    assertTrue(listed.contains(accountA), listed::toString);
    assertFalse(listed.contains(accountB), listed::toString);
  }

  @Test
  @DisplayName("a replier sees the accounts of their department and of its sub-departments, and no others")
  void replierScopedByDepartment() {
    String replier = client.staffToken(admin, List.of("replier"), List.of(departmentA), List.of());
    String child = client.department(admin, "城管执法大队", departmentA);
    String childAccount = Fixtures.create(client, admin, Fixtures.weibo(child)).getString("id");

    assertEquals(200, client.get("/api/v1/accounts/" + accountA, replier).status());
    assertEquals(200, client.get("/api/v1/accounts/" + childAccount, replier).status());
    Client.Response other = client.get("/api/v1/accounts/" + accountB, replier);
    assertEquals(403, other.status(), other::toString);
    assertEquals("forbidden", other.problemCode());
    List<String> listed = Fixtures.ids(Fixtures.listAll(client, replier, null));
    assertTrue(listed.containsAll(List.of(accountA, childAccount)), listed::toString);
    assertFalse(listed.contains(accountB), listed::toString);
    List<String> weiboOnly = Fixtures.ids(Fixtures.listAll(client, replier, "type=weibo"));
    assertEquals(List.of(childAccount), weiboOnly);
  }

  @Test
  @DisplayName("a replier cannot register an account")
  void replierCannotCreate() {
    String replier = client.staffToken(admin, List.of("replier"), List.of(departmentA), List.of());
    JsonObject body = Fixtures.miniapp(departmentA);

    Client.Response refused = client.post("/api/v1/accounts", replier, body);

    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertFalse(Fixtures.names(Fixtures.listAll(client, admin, "type=wechat_miniapp")).contains(body.getString("name")));
  }

  @Test
  @DisplayName("an editor cannot change even an account assigned to them")
  void editorCannotPatch() {
    String editor = client.staffToken(admin, List.of("editor"), List.of(), List.of(accountA));
    String nameBefore = client.get("/api/v1/accounts/" + accountA, admin).json().getString("name");

    Client.Response refused = client.patch("/api/v1/accounts/" + accountA, editor,
      new JsonObject().put("name", "被篡改").put("status", "closed"));

    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    JsonObject after = client.get("/api/v1/accounts/" + accountA, admin).json();
    assertEquals(nameBefore, after.getString("name"));
    assertEquals("active", after.getString("status"));
  }

  @Test
  @DisplayName("listing by an unknown platform is a 400 problem")
  void unknownTypeFilter() {
    Client.Response response = client.get("/api/v1/accounts?type=douyin", admin);
    assertEquals(400, response.status(), response::toString);
    assertEquals("invalid-parameter", response.problemCode());
  }
}
