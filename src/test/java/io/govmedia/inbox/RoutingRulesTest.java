package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.govmedia.inbox.AssignmentFixtures.auditEntry;
import static io.govmedia.inbox.AssignmentFixtures.await;
import static io.govmedia.inbox.AssignmentFixtures.awaitTrue;
import static io.govmedia.inbox.AssignmentFixtures.delete;
import static io.govmedia.inbox.AssignmentFixtures.member;
import static io.govmedia.inbox.AssignmentFixtures.put;
import static io.govmedia.inbox.AssignmentFixtures.routing;
import static io.govmedia.inbox.AssignmentFixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing rules: what admins write, and where a case goes. Every rule here carries a condition no other test's case
 * can meet (a unique keyword, account or region), and is deleted after its test.
 */
@DisplayName("Routing rules")
class RoutingRulesTest {

  static Client client;
  static String admin;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @AfterEach
  void removeRules() {
    created.forEach(id -> delete(client, "/api/v1/routing-rules/" + id, admin));
  }

  private String rule(JsonObject body) {
    Client.Response response = client.post("/api/v1/routing-rules", admin, body);
    assertEquals(201, response.status(), response::toString);
    created.add(response.json().getString("id"));
    return response.json().getString("id");
  }

  private static JsonObject body(String name, int priority, String departmentId) {
    return new JsonObject().put("name", name).put("priority", priority).put("departmentId", departmentId);
  }

  private static String departmentFor(String text, Category category, String accountId, String region) {
    return await(routing(shared()).departmentFor(new Routing.Facts(text, category, accountId, region)));
  }

  private static String word() {
    return "词" + Client.unique();
  }

  @Test
  @DisplayName("an admin creates a rule, reads it back, replaces it and deletes it, each step in the audit log")
  void lifecycle() {
    String department = client.department(admin, "城管局", null);
    String other = client.department(admin, "住建局", null);
    String keyword = word();
    Client.Response response = client.post("/api/v1/routing-rules", admin,
      body("占道经营", 10, department).put("keywords", new JsonArray().add(keyword)).put("region", "东城区"));
    assertEquals(201, response.status(), response::toString);
    JsonObject rule = response.json();
    String id = rule.getString("id");
    assertEquals(List.of(keyword), rule.getJsonArray("keywords").getList());
    assertEquals("东城区", rule.getString("region"));
    assertEquals(department, rule.getString("departmentId"));
    assertEquals(rule, client.get("/api/v1/routing-rules/" + id, admin).json());
    assertNotNull(auditEntry(client, admin, "routing-rule.create", id));

    Client.Response replaced = put(client, "/api/v1/routing-rules/" + id, admin,
      body("占道经营（改）", 5, other).put("keywords", new JsonArray().add(keyword)));
    assertEquals(200, replaced.status(), replaced::toString);
    assertEquals(other, replaced.json().getString("departmentId"));
    assertNull(replaced.json().getString("region"), "a replace drops what the new body leaves out");
    assertEquals(2, replaced.json().getLong("version"));
    assertEquals(other, departmentFor("关于" + keyword + "的问题", null, null, null));
    assertNotNull(auditEntry(client, admin, "routing-rule.update", id));

    assertEquals(204, delete(client, "/api/v1/routing-rules/" + id, admin).status());
    assertEquals(404, client.get("/api/v1/routing-rules/" + id, admin).status());
    assertNull(departmentFor("关于" + keyword + "的问题", null, null, null));
    assertNotNull(auditEntry(client, admin, "routing-rule.delete", id));
  }

  @Test
  @DisplayName("the list is in the order rules are tried: priority, then the rule created first, paged by cursor")
  void listOrder() {
    String department = client.department(admin, "分拨", null);
    String keyword = word();
    String late = rule(body("后建同级", 7003, department).put("keywords", new JsonArray().add(keyword)));
    String low = rule(body("低", 7001, department).put("keywords", new JsonArray().add(keyword)));
    String later = rule(body("再后建同级", 7003, department).put("keywords", new JsonArray().add(keyword)));

    List<String> order = new ArrayList<>();
    String cursor = "";
    do {
      Client.Response page = client.get("/api/v1/routing-rules?limit=2&cursor=" + cursor, admin);
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(item -> order.add(((JsonObject) item).getString("id")));
      cursor = page.json().getString("next");
    } while (cursor != null);
    List<String> mine = order.stream().filter(List.of(late, low, later)::contains).toList();
    assertEquals(List.of(low, late, later), mine);
  }

  @Test
  @DisplayName("the lowest priority number that matches wins, and on equal priorities the rule created first")
  void priorityWins() {
    String first = client.department(admin, "一", null);
    String second = client.department(admin, "二", null);
    String third = client.department(admin, "三", null);
    String keyword = word();
    rule(body("同级先建", 300, second).put("keywords", new JsonArray().add(keyword)));
    rule(body("同级后建", 300, third).put("keywords", new JsonArray().add(keyword)));
    assertEquals(second, departmentFor(keyword, null, null, null));

    rule(body("更小的数", 200, first).put("keywords", new JsonArray().add(keyword)));
    assertEquals(first, departmentFor(keyword, null, null, null));
  }

  @Test
  @DisplayName("keywords match anywhere in the text in any letter case; any one of them is enough")
  void keywords() {
    String department = client.department(admin, "交通", null);
    String unique = Client.unique();
    rule(body("交通", 100, department).put("keywords", new JsonArray().add("WiFi" + unique).add("红绿灯" + unique)));
    assertEquals(department, departmentFor("地铁站的 wifi" + unique.toUpperCase() + " 连不上", null, null, null));
    assertEquals(department, departmentFor("路口红绿灯" + unique + "坏了", Category.COMPLAINT, null, null));
    assertNull(departmentFor("路口红绿灯坏了", Category.COMPLAINT, null, null));
    assertNull(departmentFor(null, null, null, null));

    String single = client.department(admin, "单字", null);
    rule(body("单字", 100, single).put("keywords", new JsonArray().add("鼷")).put("region", "区" + unique));
    assertEquals(single, departmentFor("结尾是鼷", null, null, "区" + unique), "a one-character keyword, at the very end");
    assertEquals(department, departmentFor("结尾是红绿灯" + unique, null, null, null), "a keyword ending the text");
  }

  @Test
  @DisplayName("every condition a rule gives must match: keyword with category, account, region")
  void everyConditionMustMatch() {
    String department = client.department(admin, "市场监管", null);
    String account = account(department);
    String keyword = word();
    String region = "区" + Client.unique();
    rule(body("投诉+关键词", 100, department).put("keywords", new JsonArray().add(keyword)).put("category", "complaint"));
    assertEquals(department, departmentFor(keyword, Category.COMPLAINT, null, null));
    assertNull(departmentFor(keyword, Category.CONSULTATION, null, null));

    String byAccount = client.department(admin, "账号", null);
    rule(body("账号", 100, byAccount).put("accountId", account));
    assertEquals(byAccount, departmentFor("任何内容", Category.HELP, account, null));
    assertNull(departmentFor("任何内容", Category.HELP, "0123456789abcdef01234567", null));

    String byRegion = client.department(admin, "属地", null);
    rule(body("属地", 100, byRegion).put("region", region));
    assertEquals(byRegion, departmentFor("任何内容", null, null, region));
    assertNull(departmentFor("任何内容", null, null, region + "外"));

    String all = client.department(admin, "全条件", null);
    String both = word();
    rule(body("全部条件", 50, all).put("keywords", new JsonArray().add(both)).put("category", "report")
      .put("accountId", account).put("region", region));
    assertEquals(all, departmentFor(both, Category.REPORT, account, region));
    assertEquals(byAccount, departmentFor(both, Category.REPORT, account, null), "one condition missed: the next rule");
  }

  @Test
  @DisplayName("a case no rule matches gets no department: it waits in the dispatchers' queue")
  void noMatch() {
    assertNull(departmentFor("无人认领的内容" + Client.unique(), null, null, "不存在的区" + Client.unique()));
  }

  @Test
  @DisplayName("a rule created or deleted through one instance routes cases on another within seconds")
  void anotherInstance() {
    String department = client.department(admin, "跨实例", null);
    String keyword = word();
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Routing otherRouting = routing(other);
      Routing.Facts facts = new Routing.Facts("内容" + keyword, null, null, null);
      assertNull(await(otherRouting.departmentFor(facts)));
      String id = rule(body("跨实例", 100, department).put("keywords", new JsonArray().add(keyword)));
      awaitTrue(() -> department.equals(await(otherRouting.departmentFor(facts))), "the other instance routes by the new rule");

      Client otherClient = new Client(other.port());
      assertEquals(204, delete(otherClient, "/api/v1/routing-rules/" + id, admin).status());
      awaitTrue(() -> departmentFor("内容" + keyword, null, null, null) == null, "this instance forgets the deleted rule");
    }
  }

  @Test
  @DisplayName("invalid rules are refused with a problem naming each field")
  void validation() {
    String department = client.department(admin, "校验", null);
    String keyword = word();
    Map<String, JsonObject> bad = Map.of(
      "name", body("名".repeat(51), 1, department).put("keywords", new JsonArray().add(keyword)),
      "priority", body("优先级", 10_000, department).put("keywords", new JsonArray().add(keyword)),
      "keywords", body("太多", 1, department).put("keywords", manyKeywords(51)),
      "keywords[0]", body("太长", 1, department).put("keywords", new JsonArray().add("长".repeat(21))),
      "category", body("类别", 1, department).put("keywords", new JsonArray().add(keyword)).put("category", "gossip"),
      "departmentId", body("部门", 1, "not-an-id").put("keywords", new JsonArray().add(keyword)));
    bad.forEach((field, json) -> {
      Client.Response response = client.post("/api/v1/routing-rules", admin, json);
      assertEquals(400, response.status(), field + ": " + response);
      assertEquals("invalid-body", response.problemCode(), field);
      assertTrue(fields(response).contains(field), field + ": " + response);
    });

    Client.Response noCondition = client.post("/api/v1/routing-rules", admin, body("无条件", 1, department));
    assertEquals(400, noCondition.status(), noCondition::toString);
    assertTrue(noCondition.text().contains("至少需要一个条件"), noCondition::text);

    Client.Response missing = client.post("/api/v1/routing-rules", admin, new JsonObject().put("keywords", new JsonArray().add(keyword)));
    assertEquals(List.of("name", "priority", "departmentId").stream().sorted().toList(), fields(missing).stream().sorted().toList());

    Client.Response unknownDepartment = client.post("/api/v1/routing-rules", admin,
      body("未知部门", 1, "0123456789abcdef01234567").put("keywords", new JsonArray().add(keyword)));
    assertEquals(400, unknownDepartment.status());
    assertEquals("unknown-department", unknownDepartment.problemCode());
    Client.Response unknownAccount = client.post("/api/v1/routing-rules", admin,
      body("未知账号", 1, department).put("accountId", "0123456789abcdef01234567"));
    assertEquals(400, unknownAccount.status());
    assertEquals("unknown-account", unknownAccount.problemCode());

    assertEquals(404, client.get("/api/v1/routing-rules/nonsense", admin).status());
    assertEquals(404, put(client, "/api/v1/routing-rules/0123456789abcdef01234567", admin,
      body("无此规则", 1, department).put("keywords", new JsonArray().add(keyword))).status());
    assertEquals(404, delete(client, "/api/v1/routing-rules/0123456789abcdef01234567", admin).status());
  }

  @Test
  @DisplayName("a replace from a stale version is refused with 409 edit-conflict")
  void staleReplace() {
    String department = client.department(admin, "版本", null);
    JsonObject json = body("版本", 100, department).put("keywords", new JsonArray().add(word()));
    String id = rule(json);
    Client.Response stale = client.raw("PUT", "/api/v1/routing-rules/" + id, admin, "application/json",
      json.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of("If-Match", "\"7\""));
    assertEquals(409, stale.status(), stale::toString);
    assertEquals("edit-conflict", stale.problemCode());
  }

  @Test
  @DisplayName("dispatchers and supervisors read the rules but cannot write them; repliers and editors cannot read them")
  void permissions() {
    String department = client.department(admin, "权限", null);
    JsonObject json = body("权限", 100, department).put("keywords", new JsonArray().add(word()));
    String id = rule(json);
    for (String role : List.of("dispatcher", "supervisor")) {
      String token = member(client, admin, List.of(role), List.of(department), List.of()).token();
      assertEquals(200, client.get("/api/v1/routing-rules", token).status(), role);
      assertEquals(200, client.get("/api/v1/routing-rules/" + id, token).status(), role);
      Client.Response write = client.post("/api/v1/routing-rules", token, json);
      assertEquals(403, write.status(), role);
      assertEquals("forbidden", write.problemCode());
      assertEquals(403, put(client, "/api/v1/routing-rules/" + id, token, json).status(), role);
      assertEquals(403, delete(client, "/api/v1/routing-rules/" + id, token).status(), role);
    }
    for (String role : List.of("replier", "editor")) {
      String token = member(client, admin, List.of(role), List.of(department), List.of()).token();
      assertEquals(403, client.get("/api/v1/routing-rules", token).status(), role);
      assertEquals(403, client.get("/api/v1/routing-rules/" + id, token).status(), role);
    }
    assertEquals(401, client.get("/api/v1/routing-rules", null).status());
  }

  private static JsonArray manyKeywords(int count) {
    JsonArray keywords = new JsonArray();
    for (int i = 0; i < count; i++) {
      keywords.add("词" + i);
    }
    return keywords;
  }

  private static List<String> fields(Client.Response response) {
    return response.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  private static String account(String departmentId) {
    Client.Response response = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_miniapp")
      .put("name", "小程序-" + Client.unique()).put("departmentId", departmentId)
      .put("appId", "wx" + Client.unique() + "abcd").put("appSecret", "Sec" + "a".repeat(29)));
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }
}
