package io.govmedia.wechat;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("Official account menus")
class MenuTest {

  static final String MENU_CREATE = "/cgi-bin/menu/create";

  static Client client;
  static FakeWeChat fake;
  static String admin;

  GatewayFixtures.Registered account;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    fake = TestServer.get().wechat();
    admin = client.adminToken();
  }

  @BeforeEach
  void register() {
    String department = client.department(admin, "宣传部", null);
    account = GatewayFixtures.officialAccount(client, admin, department, fake);
  }

  @Test
  @DisplayName("a valid menu is pushed to WeChat as WeChat's menu JSON, shown back with its push time, and audited")
  void pushes() {
    JsonObject menu = new JsonObject().put("buttons", new JsonArray()
      .add(click("政策解读", "POLICY"))
      .add(view("办事指南", "https://www.gov.cn/fuwu/"))
      .add(new JsonObject().put("name", "互动").put("sub_button", new JsonArray()
        .add(click("我要留言", "MESSAGE"))
        .add(new JsonObject().put("type", "miniprogram").put("name", "掌上办事").put("url", "https://www.gov.cn/")
          .put("appid", "wx0123456789abcdef").put("pagepath", "pages/index/index"))
        .add(view("历史消息", "http://mp.weixin.qq.com/mp/homepage").put("sub_button", new JsonArray())))));

    Client.Response pushed = put("/api/v1/accounts/" + account.id() + "/menu", admin, menu);

    assertEquals(200, pushed.status(), pushed::toString);
    assertNotNull(pushed.json().getString("pushedAt"));
    assertEquals("pushed", pushed.json().getJsonObject("lastAttempt").getString("result"));
    JsonArray expected = menu.copy().getJsonArray("buttons");
    expected.getJsonObject(2).getJsonArray("sub_button").getJsonObject(2).remove("sub_button");
    assertEquals(expected, pushed.json().getJsonArray("buttons"));
    assertEquals(new JsonObject().put("button", expected), fake.lastMenu(account.appId()));
    Client.Response shown = client.get("/api/v1/accounts/" + account.id() + "/menu", admin);
    assertEquals(200, shown.status(), shown::toString);
    assertEquals(pushed.json(), shown.json());
    JsonObject audited = auditEntry("wechat.menu.push", account.id());
    assertEquals(expected, audited.getJsonObject("after").getJsonArray("buttons"));
  }

  @Test
  @DisplayName("two server instances on the same stores share one access token: WeChat hands out one")
  void twoInstancesOneToken() {
    JsonObject menu = new JsonObject().put("buttons", new JsonArray().add(click("政策解读", "POLICY")));
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client second = new Client(other.port());
      assertEquals(200, put("/api/v1/accounts/" + account.id() + "/menu", admin, menu).status());
      Client.Response again = second.raw("PUT", "/api/v1/accounts/" + account.id() + "/menu", second.adminToken(),
        "application/json", menu.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(200, again.status(), again::toString);
    }
    assertEquals(1, fake.tokenFetches(account.appId()), "the second instance used the token the first fetched");
  }

  @Test
  @DisplayName("four top-level buttons are refused with a 400 naming the fourth, and nothing reaches WeChat")
  void tooManyButtons() {
    int callsBefore = fake.calls(MENU_CREATE);
    JsonObject menu = new JsonObject().put("buttons", new JsonArray()
      .add(click("一", "A")).add(click("二", "B")).add(click("三", "C")).add(click("四", "D")));

    Client.Response refused = put("/api/v1/accounts/" + account.id() + "/menu", admin, menu);

    assertEquals(400, refused.status(), refused::toString);
    assertEquals(List.of("buttons[3]"), errorFields(refused));
    assertEquals(callsBefore, fake.calls(MENU_CREATE));
    assertNull(fake.lastMenu(account.appId()));
    assertEquals(404, client.get("/api/v1/accounts/" + account.id() + "/menu", admin).status());
  }

  @Test
  @DisplayName("a sixth sub-button is refused, named by its path")
  void tooManySubButtons() {
    JsonArray subs = new JsonArray();
    for (int i = 0; i < 6; i++) {
      subs.add(click("子菜单" + i, "K" + i));
    }
    JsonObject menu = new JsonObject().put("buttons", new JsonArray()
      .add(click("首页", "HOME")).add(new JsonObject().put("name", "服务").put("sub_button", subs)));

    Client.Response refused = put("/api/v1/accounts/" + account.id() + "/menu", admin, menu);

    assertEquals(400, refused.status(), refused::toString);
    assertEquals(List.of("buttons[1].sub_button[5]"), errorFields(refused));
    assertNull(fake.lastMenu(account.appId()));
  }

  @Test
  @DisplayName("names over WeChat's byte limits and buttons missing what their type needs are all reported at once")
  void fieldRules() {
    JsonObject menu = new JsonObject().put("buttons", new JsonArray()
      .add(click("政务公开信息", "TOO_LONG_NAME"))  // 6 Chinese characters = 18 bytes > 16
      .add(new JsonObject().put("name", "服务").put("type", "click").put("sub_button", new JsonArray()
        .add(click("这".repeat(21), "K"))  // 63 bytes > 60
        .add(new JsonObject().put("type", "click").put("name", "无键"))
        .add(view("文件", "ftp://files.gov.cn/"))
        .add(new JsonObject().put("type", "miniprogram").put("name", "小程序").put("url", "https://www.gov.cn/")
          .put("appid", "wx0123456789abcdef"))))
      .add(new JsonObject().put("type", "scancode_push").put("name", "扫码").put("key", "S")));

    Client.Response refused = put("/api/v1/accounts/" + account.id() + "/menu", admin, menu);

    assertEquals(400, refused.status(), refused::toString);
    assertEquals(List.of("buttons[0].name", "buttons[1].sub_button[0].name", "buttons[1].sub_button[1].key",
      "buttons[1].sub_button[2].url", "buttons[1].sub_button[3].pagepath", "buttons[1].type", "buttons[2].type"),
      errorFields(refused).stream().sorted().toList());
    assertNull(fake.lastMenu(account.appId()));
  }

  @Test
  @DisplayName("a top-level name of exactly 16 bytes (5 Chinese characters and a letter) is within WeChat's limit")
  void nameAtTheLimit() {
    Client.Response pushed = put("/api/v1/accounts/" + account.id() + "/menu", admin,
      new JsonObject().put("buttons", new JsonArray().add(click("政务公开栏a", "OPEN"))));

    assertEquals(200, pushed.status(), pushed::toString);
  }

  @Test
  @DisplayName("an editor not scoped to the account gets 403 and nothing is pushed; a scoped editor may push")
  void editorScope() {
    String outsider = client.staffToken(admin, List.of("editor"), List.of(account.departmentId()), List.of());
    String insider = client.staffToken(admin, List.of("editor"), List.of(), List.of(account.id()));
    JsonObject menu = new JsonObject().put("buttons", new JsonArray().add(click("首页", "HOME")));

    Client.Response refused = put("/api/v1/accounts/" + account.id() + "/menu", outsider, menu);
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertNull(fake.lastMenu(account.appId()));

    Client.Response pushed = put("/api/v1/accounts/" + account.id() + "/menu", insider, menu);
    assertEquals(200, pushed.status(), pushed::toString);
    assertEquals(menu.getJsonArray("buttons"), fake.lastMenu(account.appId()).getJsonArray("button"));
  }

  @Test
  @DisplayName("WeChat's refusal (40016) is a 502 problem with its errcode, recorded as the last attempt beside the live menu")
  void weChatRefuses() {
    JsonObject first = new JsonObject().put("buttons", new JsonArray().add(click("首页", "HOME")));
    assertEquals(200, put("/api/v1/accounts/" + account.id() + "/menu", admin, first).status());
    fake.failNext(MENU_CREATE, 40016);
    JsonObject second = new JsonObject().put("buttons", new JsonArray().add(click("新首页", "HOME2")));

    Client.Response refused = put("/api/v1/accounts/" + account.id() + "/menu", admin, second);

    assertEquals(502, refused.status(), refused::toString);
    assertEquals("wechat-error", refused.problemCode());
    assertEquals(40016, refused.json().getInteger("errcode"));
    assertEquals(first.getJsonArray("buttons"), fake.lastMenu(account.appId()).getJsonArray("button"));
    JsonObject shown = client.get("/api/v1/accounts/" + account.id() + "/menu", admin).json();
    assertEquals(first.getJsonArray("buttons"), shown.getJsonArray("buttons"), "the live menu is still the first");
    JsonObject attempt = shown.getJsonObject("lastAttempt");
    assertEquals("failed", attempt.getString("result"));
    assertEquals(40016, attempt.getInteger("errcode"));
    assertEquals(second.getJsonArray("buttons"), attempt.getJsonArray("buttons"));
  }

  @Test
  @DisplayName("a replier of the account's department may look at the menu but not push one")
  void replierReadsOnly() {
    String replier = client.staffToken(admin, List.of("replier"), List.of(account.departmentId()), List.of());
    JsonObject menu = new JsonObject().put("buttons", new JsonArray().add(click("首页", "HOME")));
    assertEquals(200, put("/api/v1/accounts/" + account.id() + "/menu", admin, menu).status());

    assertEquals(200, client.get("/api/v1/accounts/" + account.id() + "/menu", replier).status());
    assertEquals(403, put("/api/v1/accounts/" + account.id() + "/menu", replier, menu).status());
  }

  @Test
  @DisplayName("a Weibo account has no WeChat menu: 400 not-wechat-mp")
  void notAnOfficialAccount() {
    JsonObject weibo = new JsonObject().put("type", "weibo").put("name", "微博-" + Client.unique())
      .put("departmentId", client.department(admin, "宣传部", null)).put("appKey", "3" + Client.unique().replaceAll("[^0-9]", "1"))
      .put("uid", "5" + Client.unique().replaceAll("[^0-9]", "2")).put("appSecret", "Sec" + Client.unique() + Client.unique());
    Client.Response created = client.post("/api/v1/accounts", admin, weibo);
    assertEquals(201, created.status(), created::toString);

    Client.Response refused = put("/api/v1/accounts/" + created.json().getString("id") + "/menu", admin,
      new JsonObject().put("buttons", new JsonArray().add(click("首页", "HOME"))));

    assertEquals(400, refused.status(), refused::toString);
    assertEquals("not-wechat-mp", refused.problemCode());
  }

  static Client.Response put(String path, String token, JsonObject body) {
    return client.raw("PUT", path, token, "application/json", body.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static JsonObject click(String name, String key) {
    return new JsonObject().put("type", "click").put("name", name).put("key", key);
  }

  static JsonObject view(String name, String url) {
    return new JsonObject().put("type", "view").put("name", name).put("url", url);
  }

  static List<String> errorFields(Client.Response response) {
    assertEquals("invalid-body", response.problemCode(), response::toString);
    List<String> fields = new ArrayList<>();
    response.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  /** The newest audit entry with this action about this target, among the latest 1000. */
  static JsonObject auditEntry(String action, String targetId) {
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
}
