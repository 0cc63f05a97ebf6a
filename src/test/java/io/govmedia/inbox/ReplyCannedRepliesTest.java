package io.govmedia.inbox;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canned replies: office-wide and per department; repliers read those in reach, admins (and heads) write. */
@DisplayName("Canned replies")
class ReplyCannedRepliesTest {

  static Client client;
  static String admin;
  static String departmentA;
  static String departmentB;
  static Inbox.Member replierA;
  static Inbox.Member replierB;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    departmentA = client.department(admin, "民政局", null);
    departmentB = client.department(admin, "交通局", null);
    replierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    replierB = Inbox.member(client, admin, List.of("replier"), List.of(departmentB));
  }

  static JsonObject created(JsonObject body) {
    Client.Response response = client.post("/api/v1/canned-replies", admin, body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  @Test
  @DisplayName("a replier lists the office-wide ones and their department's, reads one, and never sees another department's (404)")
  void reach() {
    JsonObject everyone = created(new JsonObject().put("title", "通用致谢").put("text", "感谢您对我们工作的关注。"));
    JsonObject own = created(new JsonObject().put("departmentId", departmentA).put("title", "低保咨询")
      .put("text", "低保申请请携带身份证明到社区办理。").put("category", "consultation"));
    JsonObject other = created(new JsonObject().put("departmentId", departmentB).put("title", "公交线路")
      .put("text", "线路调整意见已转公交集团。"));

    Client.Response listed = client.get("/api/v1/canned-replies?limit=200", replierA.token());
    assertEquals(200, listed.status(), listed::toString);
    List<String> ids = listed.items().stream().map(i -> ((JsonObject) i).getString("id")).toList();
    assertTrue(ids.contains(everyone.getString("id")) && ids.contains(own.getString("id")), listed::toString);
    assertFalse(ids.contains(other.getString("id")), listed::toString);
    Client.Response byCategory = client.get("/api/v1/canned-replies?category=consultation&departmentId=" + departmentA,
      replierA.token());
    assertEquals(List.of(own.getString("id")), byCategory.items().stream().map(i -> ((JsonObject) i).getString("id"))
      .toList());

    assertEquals(200, client.get("/api/v1/canned-replies/" + own.getString("id"), replierA.token()).status());
    assertEquals(404, client.get("/api/v1/canned-replies/" + other.getString("id"), replierA.token()).status());
    assertEquals(404, client.get("/api/v1/canned-replies/not-an-id", replierA.token()).status());
  }

  @Test
  @DisplayName("repliers may not write them (403); admins edit with If-Match and delete")
  void writing() {
    Client.Response byReplier = client.post("/api/v1/canned-replies", replierA.token(), new JsonObject()
      .put("departmentId", departmentA).put("title", "自拟").put("text", "文本"));
    assertEquals(403, byReplier.status(), byReplier::toString);

    JsonObject made = created(new JsonObject().put("departmentId", departmentA).put("title", "旧标题").put("text", "旧文本"));
    String path = "/api/v1/canned-replies/" + made.getString("id");
    byte[] edit = new JsonObject().put("title", "新标题").put("text", "新文本").encode().getBytes(StandardCharsets.UTF_8);
    Client.Response stale = client.raw("PUT", path, admin, "application/json", edit, Map.of("If-Match", "\"7\""));
    assertEquals(409, stale.status(), stale::toString);
    Client.Response updated = client.raw("PUT", path, admin, "application/json", edit,
      Map.of("If-Match", "\"" + made.getLong("version") + "\""));
    assertEquals(200, updated.status(), updated::toString);
    assertEquals("新文本", updated.json().getString("text"));
    Client.Response byReplierEdit = client.raw("PUT", path, replierA.token(), "application/json", edit);
    assertEquals(403, byReplierEdit.status(), byReplierEdit::toString);

    assertEquals(204, client.raw("DELETE", path, admin, null, null).status());
    assertEquals(404, client.get(path, admin).status());
  }

  @Test
  @DisplayName("a head writes their own department's canned replies, not another's nor the office-wide ones")
  void heads() {
    String username = "h" + Client.unique();
    String password = "Head-Passw0rd-" + Client.unique();
    Client.Response made = client.post("/api/v1/staff", admin, new JsonObject().put("username", username)
      .put("displayName", "科长").put("password", password).put("roles", new io.vertx.core.json.JsonArray().add("replier"))
      .put("departmentIds", new io.vertx.core.json.JsonArray().add(departmentA))
      .put("headOf", new io.vertx.core.json.JsonArray().add(departmentA)));
    assertEquals(201, made.status(), made::toString);
    String head = client.login(username, password);

    assertEquals(201, client.post("/api/v1/canned-replies", head, new JsonObject().put("departmentId", departmentA)
      .put("title", "本部门").put("text", "本部门的答复")).status());
    assertEquals(403, client.post("/api/v1/canned-replies", head, new JsonObject().put("departmentId", departmentB)
      .put("title", "他部门").put("text", "他部门的答复")).status());
    assertEquals(403, client.post("/api/v1/canned-replies", head, new JsonObject()
      .put("title", "全局").put("text", "全局的答复")).status());
  }

  @Test
  @DisplayName("validation: title and text required, text at most 2,000 characters, a known category and department")
  void validation() {
    Client.Response missing = client.post("/api/v1/canned-replies", admin, new JsonObject().put("title", "无正文"));
    assertEquals(400, missing.status(), missing::toString);
    assertEquals("invalid-body", missing.problemCode());
    assertEquals(400, client.post("/api/v1/canned-replies", admin, new JsonObject().put("title", "过长")
      .put("text", "字".repeat(2001))).status());
    assertEquals(201, client.post("/api/v1/canned-replies", admin, new JsonObject().put("title", "刚好")
      .put("text", "字".repeat(2000))).status());
    assertEquals(400, client.post("/api/v1/canned-replies", admin, new JsonObject().put("title", "类别")
      .put("text", "文本").put("category", "gossip")).status());
    Client.Response unknown = client.post("/api/v1/canned-replies", admin, new JsonObject()
      .put("departmentId", "0123456789abcdef01234567").put("title", "部门").put("text", "文本"));
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown-department", unknown.problemCode());
  }
}
