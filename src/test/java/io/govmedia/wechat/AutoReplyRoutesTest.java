package io.govmedia.wechat;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Managing an official account's auto-replies over HTTP")
class AutoReplyRoutesTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  static Client client;
  static String admin;
  static String department;
  static String account;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "网信办", null);
    account = officialAccount(department);
  }

  @Test
  @DisplayName("creates each kind of rule and answers it with its id and the contract's field names")
  void createsEachKind() {
    String own = officialAccount(client.department(admin, "人社局", null));
    JsonObject exact = created(own, rule("exact", "办事指南", text("请点击菜单「办事指南」")));
    JsonObject contains = created(own, rule("contains", "社保", text("社保问题请拨打12333")).put("priority", 5));
    JsonObject regex = created(own, rule("regex", "^1[3-9]\\d{9}$", text("请勿在留言中发送手机号")).put("enabled", false));
    JsonObject subscribe = created(own, new JsonObject().put("match", "subscribe")
      .put("reply", new JsonObject().put("type", "image").put("mediaId", "WELCOME_media-01")));
    JsonObject fallback = created(own, new JsonObject().put("match", "default").put("reply", news()));

    assertTrue(exact.getString("id").matches("[0-9a-f]{24}"), exact::encode);
    assertEquals(Set.of("id", "accountId", "match", "keyword", "priority", "enabled", "reply", "createdAt", "updatedAt"),
      exact.fieldNames());
    assertEquals(own, exact.getString("accountId"));
    assertEquals("exact", exact.getString("match"));
    assertEquals("办事指南", exact.getString("keyword"));
    assertEquals(100, exact.getInteger("priority"));
    assertTrue(exact.getBoolean("enabled"));
    assertEquals(new JsonObject().put("type", "text").put("content", "请点击菜单「办事指南」"), exact.getJsonObject("reply"));
    assertEquals(5, contains.getInteger("priority"));
    assertFalse(regex.getBoolean("enabled"));
    assertNull(subscribe.getString("keyword"));
    assertEquals("WELCOME_media-01", subscribe.getJsonObject("reply").getString("mediaId"));
    assertEquals(news().getJsonArray("articles").getJsonObject(0),
      fallback.getJsonObject("reply").getJsonArray("articles").getJsonObject(0));
    assertEquals(exact, client.get(path(own) + "/" + exact.getString("id"), admin).json());
  }

  @Test
  @DisplayName("lists rules in matching order: priority first, then the order they were made")
  void listOrder() {
    String own = officialAccount(client.department(admin, "住建局", null));
    String late = created(own, rule("contains", "房", text("c")).put("priority", 200)).getString("id");
    String first = created(own, rule("contains", "房", text("a")).put("priority", 1)).getString("id");
    String secondA = created(own, rule("contains", "房", text("b1"))).getString("id");
    String secondB = created(own, rule("contains", "房", text("b2"))).getString("id");

    Client.Response page1 = client.get(path(own) + "?limit=3", admin);
    Client.Response page2 = client.get(path(own) + "?limit=3&cursor=" + page1.json().getString("next"), admin);

    assertEquals(List.of(first, secondA, secondB), ids(page1.items()));
    assertEquals(List.of(late), ids(page2.items()));
    assertNull(page2.json().getString("next"));
  }

  @Test
  @DisplayName("changes a rule's switch, priority, keyword and reply, and deletes it")
  void updateAndDelete() {
    JsonObject rule = created(account, rule("exact", "你好", text("您好")));
    String one = path(account) + "/" + rule.getString("id");

    Client.Response patched = client.patch(one, admin, new JsonObject().put("enabled", false).put("priority", 7)
      .put("keyword", "您好").put("reply", new JsonObject().put("type", "image").put("mediaId", "abc")));
    Client.Response deleted = client.raw("DELETE", one, admin, null, null);

    assertEquals(200, patched.status(), patched::toString);
    assertFalse(patched.json().getBoolean("enabled"));
    assertEquals(7, patched.json().getInteger("priority"));
    assertEquals("您好", patched.json().getString("keyword"));
    assertEquals("image", patched.json().getJsonObject("reply").getString("type"));
    assertEquals(rule.getString("createdAt"), patched.json().getString("createdAt"));
    assertEquals(204, deleted.status(), deleted::toString);
    assertEquals(404, client.get(one, admin).status());
    assertEquals(404, client.raw("DELETE", one, admin, null, null).status());
  }

  @Test
  @DisplayName("refuses bad rules with a 400 naming each field, and stores none of them")
  void refusesBadInput() {
    String own = officialAccount(client.department(admin, "统计局", null));
    JsonObject emoji = text("😀".repeat(600));
    JsonObject twoArticles = news();
    twoArticles.getJsonArray("articles").add(twoArticles.getJsonArray("articles").getJsonObject(0).copy());
    JsonObject badUrl = news();
    badUrl.getJsonArray("articles").getJsonObject(0).put("picUrl", "javascript:alert(1)");

    assertRefused(own, rule("regex", "(办事", text("x")), "keyword", "正则表达式语法错误");
    assertRefused(own, rule("regex", "(a+)+$", text("x")), "keyword", "嵌套");
    assertRefused(own, new JsonObject().put("match", "exact").put("reply", text("x")), "keyword", "必填");
    assertRefused(own, rule("default", "你好", text("x")), "keyword", "不设关键词");
    assertRefused(own, rule("contains", "x", text("长".repeat(601))), "reply.content", "600");
    assertRefused(own, rule("contains", "x", emoji), "reply.content", "2048");
    assertRefused(own, rule("contains", "x", new JsonObject().put("type", "video").put("mediaId", "m")), "reply.type", null);
    assertRefused(own, rule("contains", "x", new JsonObject().put("type", "image").put("mediaId", "a/b")), "reply.mediaId", null);
    assertRefused(own, rule("contains", "x", twoArticles), "reply.articles", null);
    assertRefused(own, rule("contains", "x", badUrl), "reply.articles[0].picUrl", "http");
    assertRefused(own, new JsonObject().put("match", "exact").put("keyword", new JsonObject().put("$gt", ""))
      .put("reply", text("x")), "keyword", "应为字符串");
    assertRefused(own, rule("exact", "x", text("x")).put("priority", 1001), "priority", null);
    assertRefused(own, rule("exact", "x", text("x")).put("priority", "5"), "priority", null);
    assertRefused(own, rule("fuzzy", "x", text("x")), "match", null);
    assertRefused(own, new JsonObject().put("match", "exact").put("keyword", "x"), "reply", "必填");

    assertEquals(0, client.get(path(own), admin).items().size());
  }

  @Test
  @DisplayName("allows one enabled subscribe greeting and one default reply per account")
  void oneSubscribeAndOneDefault() {
    String own = officialAccount(client.department(admin, "文旅局", null));
    JsonObject greeting = new JsonObject().put("match", "subscribe").put("reply", text("欢迎关注"));
    String first = created(own, greeting).getString("id");
    created(own, new JsonObject().put("match", "default").put("reply", text("已收到")));

    Client.Response second = client.post(path(own), admin, greeting);
    Client.Response secondDefault = client.post(path(own), admin, new JsonObject().put("match", "default")
      .put("reply", text("又一个")));
    String spare = created(own, greeting.copy().put("enabled", false)).getString("id");
    Client.Response enableSpare = client.patch(path(own) + "/" + spare, admin, new JsonObject().put("enabled", true));
    client.patch(path(own) + "/" + first, admin, new JsonObject().put("enabled", false));
    Client.Response enableAfterSwitch = client.patch(path(own) + "/" + spare, admin, new JsonObject().put("enabled", true));

    assertEquals(409, second.status(), second::toString);
    assertEquals("auto-reply-exists", second.problemCode());
    assertEquals(409, secondDefault.status(), secondDefault::toString);
    assertEquals(409, enableSpare.status(), enableSpare::toString);
    assertEquals(200, enableAfterSwitch.status(), enableAfterSwitch::toString);
  }

  @Test
  @DisplayName("editors manage only their own accounts; repliers may look but not change")
  void access() {
    String other = officialAccount(client.department(admin, "交通局", null));
    String scopedEditor = client.staffToken(admin, List.of("editor"), List.of(), List.of(account));
    String replier = client.staffToken(admin, List.of("replier"), List.of(department), List.of());

    Client.Response byEditor = client.post(path(account), scopedEditor, rule("contains", "编辑", text("ok")));
    Client.Response outOfScope = client.post(path(other), scopedEditor, rule("contains", "编辑", text("no")));
    Client.Response replierReads = client.get(path(account), replier);
    Client.Response replierWrites = client.post(path(account), replier, rule("contains", "回复员", text("no")));
    Client.Response replierSettings = client.raw("PUT", path(account) + "/settings", replier, "application/json",
      new JsonObject().put("ackText", "x").put("ackEnabled", true).encode().getBytes());
    Client.Response replierOther = client.get(path(other), replier);

    assertEquals(201, byEditor.status(), byEditor::toString);
    assertEquals(403, outOfScope.status(), outOfScope::toString);
    assertEquals("forbidden", outOfScope.problemCode());
    assertEquals(200, replierReads.status(), replierReads::toString);
    assertEquals(403, replierWrites.status(), replierWrites::toString);
    assertEquals(403, replierSettings.status(), replierSettings::toString);
    assertEquals(403, replierOther.status(), replierOther::toString);
    assertEquals(401, client.get(path(account), null).status());
  }

  @Test
  @DisplayName("answers 404 for unknown accounts and for rules of another account, 400 for a non-WeChat account")
  void wrongPlaces() {
    String rule = created(account, rule("contains", "位置", text("x"))).getString("id");
    String other = officialAccount(client.department(admin, "水利局", null));
    String weibo = weiboAccount(client.department(admin, "气象局", null));

    assertEquals(404, client.get(path("0".repeat(24)), admin).status());
    assertEquals(404, client.get(path("not-an-id"), admin).status());
    assertEquals(404, client.get(path(other) + "/" + rule, admin).status());
    assertEquals(404, client.patch(path(other) + "/" + rule, admin, new JsonObject().put("priority", 1)).status());
    Client.Response onWeibo = client.post(path(weibo), admin, rule("contains", "x", text("x")));
    assertEquals(400, onWeibo.status(), onWeibo::toString);
    assertEquals("not-wechat-mp", onWeibo.problemCode());
  }

  @Test
  @DisplayName("records every change in the audit log")
  void audited() {
    String id = created(account, rule("contains", "审计", text("v1"))).getString("id");
    client.patch(path(account) + "/" + id, admin, new JsonObject().put("reply", text("v2")));
    client.raw("DELETE", path(account) + "/" + id, admin, null, null);
    client.raw("PUT", path(account) + "/settings", admin, "application/json",
      new JsonObject().put("ackText", "已收到").put("ackEnabled", true).encode().getBytes());

    JsonObject created = audit("wechat.auto-reply.create", id);
    JsonObject updated = audit("wechat.auto-reply.update", id);
    JsonObject deleted = audit("wechat.auto-reply.delete", id);
    JsonObject settings = audit("wechat.auto-reply.settings.update", account);

    assertNull(created.getValue("before"));
    assertEquals("v1", created.getJsonObject("after").getJsonObject("reply").getString("content"));
    assertEquals("v1", updated.getJsonObject("before").getJsonObject("reply").getString("content"));
    assertEquals("v2", updated.getJsonObject("after").getJsonObject("reply").getString("content"));
    assertEquals("v2", deleted.getJsonObject("before").getJsonObject("reply").getString("content"));
    assertNull(deleted.getValue("after"));
    assertEquals("已收到", settings.getJsonObject("after").getString("ackText"));
  }

  @Test
  @DisplayName("the acknowledgement text has a default, can be changed, and is checked like a text reply")
  void settings() {
    String own = officialAccount(client.department(admin, "信访局", null));
    String settings = path(own) + "/settings";

    JsonObject initial = client.get(settings, admin).json();
    Client.Response saved = client.raw("PUT", settings, admin, "application/json",
      new JsonObject().put("ackText", "留言已收到，工作日内答复。").put("ackEnabled", false).encode().getBytes());
    Client.Response tooLong = client.raw("PUT", settings, admin, "application/json",
      new JsonObject().put("ackText", "长".repeat(601)).put("ackEnabled", true).encode().getBytes());
    Client.Response missing = client.raw("PUT", settings, admin, "application/json",
      new JsonObject().put("ackText", "x").encode().getBytes());

    assertEquals("您的留言已收到，我们会尽快处理并回复。", initial.getString("ackText"));
    assertTrue(initial.getBoolean("ackEnabled"));
    assertEquals(200, saved.status(), saved::toString);
    assertEquals(new JsonObject().put("ackText", "留言已收到，工作日内答复。").put("ackEnabled", false),
      without(client.get(settings, admin).json(), "updatedAt"));
    assertEquals(List.of("ackText"), errorFields(tooLong));
    assertEquals(List.of("ackEnabled"), errorFields(missing));
  }

  // Helpers

  private static String path(String accountId) {
    return "/api/v1/accounts/" + accountId + "/auto-replies";
  }

  private static JsonObject rule(String match, String keyword, JsonObject reply) {
    return new JsonObject().put("match", match).put("keyword", keyword).put("reply", reply);
  }

  private static JsonObject text(String content) {
    return new JsonObject().put("type", "text").put("content", content);
  }

  private static JsonObject news() {
    return new JsonObject().put("type", "news").put("articles", new JsonArray().add(new JsonObject()
      .put("title", "留言须知").put("description", "请描述事项、地点和联系方式")
      .put("picUrl", "https://mmbiz.qpic.cn/notice.jpg").put("url", "https://mp.weixin.qq.com/s/notice")));
  }

  private static JsonObject created(String accountId, JsonObject body) {
    Client.Response response = client.post(path(accountId), admin, body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  private static void assertRefused(String accountId, JsonObject body, String field, String messagePart) {
    Client.Response response = client.post(path(accountId), admin, body);
    assertEquals(400, response.status(), () -> body.encode() + " -> " + response);
    assertEquals(List.of(field), errorFields(response), response::toString);
    String message = response.json().getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(messagePart == null || message.contains(messagePart), message);
  }

  private static List<String> errorFields(Client.Response response) {
    assertEquals("invalid-body", response.problemCode(), response::toString);
    List<String> fields = new ArrayList<>();
    response.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  /** The newest audit entry with this action about this target, among the latest 1000. */
  private static JsonObject audit(String action, String targetId) {
    String cursor = "";
    for (int page = 0; page < 5 && cursor != null; page++) {
      Client.Response response = client.get("/api/v1/audit?limit=200&cursor=" + cursor, admin);
      assertEquals(200, response.status(), response::toString);
      for (Object item : response.items()) {
        JsonObject entry = (JsonObject) item;
        if (action.equals(entry.getString("action")) && targetId.equals(entry.getString("targetId"))) {
          return entry;
        }
      }
      cursor = response.json().getString("next");
    }
    throw new AssertionError("no audit entry " + action + " for " + targetId);
  }

  private static String officialAccount(String departmentId) {
    return createAccount(new JsonObject().put("type", "wechat_mp").put("name", "公众号-" + Client.unique())
      .put("departmentId", departmentId).put("kind", "service").put("appId", "wx" + hex(16))
      .put("originalId", "gh_" + hex(12)).put("appSecret", "Sec" + hex(29)).put("token", "Tok" + hex(17)).put("callbackMode", "plain"));
  }

  private static String weiboAccount(String departmentId) {
    return createAccount(new JsonObject().put("type", "weibo").put("name", "微博-" + Client.unique())
      .put("departmentId", departmentId).put("appKey", "1" + digits(9)).put("uid", "2" + digits(11))
      .put("appSecret", "Sec" + hex(29)));
  }

  private static String createAccount(JsonObject body) {
    Client.Response response = client.post("/api/v1/accounts", admin, body);
    assertEquals(201, response.status(), response::toString);
    String id = response.json().getString("id");
    assertNotNull(id);
    return id;
  }

  private static String hex(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append("0123456789abcdef".charAt(RANDOM.nextInt(16)));
    }
    return out.toString();
  }

  private static String digits(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return out.toString();
  }
}
