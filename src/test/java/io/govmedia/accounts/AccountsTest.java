package io.govmedia.accounts;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("Channel accounts")
class AccountsTest {

  private static final List<String> SECRET_FIELDS = List.of("appSecret", "token", "aesKey", "accessToken");

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("an admin registers a subscription 公众号, and neither the answer nor a later read shows its secrets, only that they are set")
  void createSubscriptionAccount() {
    String department = client.department(admin, "宣传科", null);
    JsonObject body = Fixtures.wechatMp(department, "subscription");

    Client.Response created = client.post("/api/v1/accounts", admin, body);

    assertEquals(201, created.status(), created::toString);
    JsonObject account = created.json();
    assertTrue(account.getString("id").matches("[0-9a-f]{24}"), account::encode);
    assertEquals("wechat_mp", account.getString("type"));
    assertEquals("subscription", account.getString("kind"));
    assertEquals(body.getString("name"), account.getString("name"));
    assertEquals(department, account.getString("departmentId"));
    assertEquals(body.getString("appId"), account.getString("appId"));
    assertEquals(body.getString("originalId"), account.getString("originalId"));
    assertEquals("active", account.getString("status"));
    assertEquals("safe", account.getString("callbackMode"));
    assertEquals(false, account.getBoolean("callbackModeUnset"));
    assertEquals(new JsonObject().put("appSecret", true).put("token", true).put("aesKey", true),
      account.getJsonObject("secretsSet"));
    assertNoSecrets(created.text(), body);

    Client.Response read = client.get("/api/v1/accounts/" + account.getString("id"), admin);
    assertEquals(200, read.status(), read::toString);
    assertEquals(account, read.json());
    assertNoSecrets(read.text(), body);
  }

  @Test
  @DisplayName("a service 公众号 registered without an EncodingAESKey shows that key as not set")
  void createServiceAccountWithoutAesKey() {
    JsonObject body = Fixtures.wechatMp(client.department(admin, "政务服务科", null), "service").put("callbackMode", "plain");
    body.remove("aesKey");

    JsonObject account = Fixtures.create(client, admin, body);

    assertEquals("service", account.getString("kind"));
    assertEquals(new JsonObject().put("appSecret", true).put("token", true).put("aesKey", false),
      account.getJsonObject("secretsSet"));
    Client.Response read = client.get("/api/v1/accounts/" + account.getString("id"), admin);
    assertEquals(false, read.json().getJsonObject("secretsSet").getBoolean("aesKey"));
    assertNoSecrets(read.text(), body);
  }

  @Test
  @DisplayName("an admin registers the mini-program; its AppSecret is kept (the message push's token and key are optional), and it is never shown")
  void createMiniapp() {
    JsonObject body = Fixtures.miniapp(client.department(admin, "信息中心", null));

    Client.Response created = client.post("/api/v1/accounts", admin, body);

    assertEquals(201, created.status(), created::toString);
    JsonObject account = created.json();
    assertEquals("wechat_miniapp", account.getString("type"));
    assertEquals(body.getString("appId"), account.getString("appId"));
    assertEquals(new JsonObject().put("appSecret", true).put("token", false).put("aesKey", false),
      account.getJsonObject("secretsSet"));
    assertNoSecrets(created.text(), body);
    Client.Response read = client.get("/api/v1/accounts/" + account.getString("id"), admin);
    assertEquals(200, read.status(), read::toString);
    assertNoSecrets(read.text(), body);
  }

  @Test
  @DisplayName("an admin registers a Weibo account with its access token; the token's expiry shows in Beijing time, the token itself never")
  void createWeibo() {
    JsonObject body = Fixtures.weibo(client.department(admin, "网信办", null)).put("tokenExpiresAt", "2030-06-30T04:00:00Z");

    Client.Response created = client.post("/api/v1/accounts", admin, body);

    assertEquals(201, created.status(), created::toString);
    JsonObject account = created.json();
    assertEquals("weibo", account.getString("type"));
    assertEquals(body.getString("appKey"), account.getString("appKey"));
    assertEquals(body.getString("uid"), account.getString("uid"));
    OffsetDateTime expires = OffsetDateTime.parse(account.getString("tokenExpiresAt"));
    assertEquals(OffsetDateTime.parse("2030-06-30T12:00:00+08:00"), expires);
    assertEquals("+08:00", expires.getOffset().getId());
    assertEquals(new JsonObject().put("appSecret", true).put("accessToken", true), account.getJsonObject("secretsSet"));
    assertNoSecrets(created.text(), body);
    Client.Response read = client.get("/api/v1/accounts/" + account.getString("id"), admin);
    assertEquals(200, read.status(), read::toString);
    assertNoSecrets(read.text(), body);

    JsonObject withoutToken = Fixtures.weibo(client.department(admin, "网信办", null));
    withoutToken.remove("accessToken");
    withoutToken.remove("tokenExpiresAt");
    JsonObject pending = Fixtures.create(client, admin, withoutToken);
    assertEquals(false, pending.getJsonObject("secretsSet").getBoolean("accessToken"));
    assertNull(pending.getString("tokenExpiresAt"));
  }

  @Test
  @DisplayName("secrets are sealed at rest: the stored account holds no plain secret, only v1: values that open to the originals")
  void secretsSealedAtRest() {
    JsonObject body = Fixtures.wechatMp(client.department(admin, "保密办", null), "service");
    String id = Fixtures.create(client, admin, body).getString("id");

    Document stored = Fixtures.stored(id);

    assertNoSecrets(stored.toJson(), body);
    Document secrets = stored.get("secrets", Document.class);
    for (String name : List.of("appSecret", "token", "aesKey")) {
      assertTrue(secrets.getString(name).startsWith("v1:"), name + " is stored as " + secrets.getString(name));
      assertEquals(body.getString(name), Fixtures.open(id, name), name + " does not open to what was registered");
    }
    Fixtures.auditOf(id).forEach(entry -> assertNoSecrets(entry.toJson(), body));
  }

  @Test
  @DisplayName("a department gets one 公众号: a second is refused in Chinese unless an admin records why, while a mini-program there is fine")
  void oneAccountPerDepartmentPerPlatform() {
    String department = client.department(admin, "教育局", null);
    Fixtures.create(client, admin, Fixtures.wechatMp(department, "subscription"));
    JsonObject second = Fixtures.wechatMp(department, "service");

    Client.Response refused = client.post("/api/v1/accounts", admin, second);

    assertEquals(409, refused.status(), refused::toString);
    assertEquals("account-per-department-limit", refused.problemCode());
    assertTrue(isChinese(refused.json().getString("title")), refused.json().getString("title"));
    assertFalse(Fixtures.names(Fixtures.listAll(client, admin, "type=wechat_mp")).contains(second.getString("name")));

    String reason = "市委要求单独开设招生考试服务号";
    Client.Response overridden = client.post("/api/v1/accounts", admin, second.copy().put("overrideReason", reason));
    assertEquals(201, overridden.status(), overridden::toString);
    assertEquals(reason, overridden.json().getString("overrideReason"));
    assertEquals(reason, client.get("/api/v1/accounts/" + overridden.json().getString("id"), admin).json()
      .getString("overrideReason"));

    Client.Response miniapp = client.post("/api/v1/accounts", admin, Fixtures.miniapp(department));
    assertEquals(201, miniapp.status(), miniapp::toString);
  }

  @Test
  @DisplayName("the same WeChat AppID or Weibo account cannot be registered twice, not even for another department")
  void samePlatformAccountTwice() {
    JsonObject first = Fixtures.wechatMp(client.department(admin, "卫健委", null), "service");
    Fixtures.create(client, admin, first);
    JsonObject again = Fixtures.wechatMp(client.department(admin, "疾控中心", null), "service")
      .put("appId", first.getString("appId"));

    Client.Response refused = client.post("/api/v1/accounts", admin, again);

    assertEquals(409, refused.status(), refused::toString);
    assertEquals("duplicate-account", refused.problemCode());
    assertTrue(isChinese(refused.json().getString("title")), refused.json().getString("title"));
    assertFalse(Fixtures.names(Fixtures.listAll(client, admin, "type=wechat_mp")).contains(again.getString("name")));

    JsonObject weibo = Fixtures.weibo(client.department(admin, "卫健委", null));
    Fixtures.create(client, admin, weibo);
    JsonObject sameWeibo = Fixtures.weibo(client.department(admin, "疾控中心", null))
      .put("appKey", weibo.getString("appKey")).put("uid", weibo.getString("uid"));
    Client.Response weiboRefused = client.post("/api/v1/accounts", admin, sameWeibo);
    assertEquals(409, weiboRefused.status(), weiboRefused::toString);
    assertEquals("duplicate-account", weiboRefused.problemCode());
  }

  static Stream<Arguments> badBodies() {
    Function<String, JsonObject> mp = department -> Fixtures.wechatMp(department, "subscription");
    return Stream.of(
      arguments("no type", (Function<String, JsonObject>) d -> without(mp.apply(d), "type"), "invalid-body", "type"),
      arguments("type douyin", (Function<String, JsonObject>) d -> mp.apply(d).put("type", "douyin"), "invalid-body", "type"),
      arguments("an AppID not wx + 16 hex", (Function<String, JsonObject>) d -> mp.apply(d).put("appId", "wx12345"),
        "invalid-body", "appId"),
      arguments("an AppID in upper case", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("appId", Fixtures.appId().toUpperCase()), "invalid-body", "appId"),
      arguments("an EncodingAESKey of 42 characters", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("aesKey", Fixtures.alnum(42)), "invalid-body", "aesKey"),
      arguments("an AppSecret that is a query operator", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("appSecret", new JsonObject().put("$gt", "")), "invalid-body", "appSecret"),
      arguments("a kind that is neither subscription nor service", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("kind", "enterprise"), "invalid-body", "kind"),
      arguments("an official account without its callback mode", (Function<String, JsonObject>) d ->
        without(mp.apply(d), "callbackMode"), "invalid-body", "callbackMode"),
      arguments("a callback mode WeChat does not have", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("callbackMode", "encrypted"), "invalid-body", "callbackMode"),
      arguments("safe mode without an EncodingAESKey", (Function<String, JsonObject>) d ->
        without(mp.apply(d).put("callbackMode", "safe"), "aesKey"), "invalid-body", "callbackMode"),
      arguments("compatible mode without an EncodingAESKey", (Function<String, JsonObject>) d ->
        without(mp.apply(d).put("callbackMode", "compatible"), "aesKey"), "invalid-body", "callbackMode"),
      arguments("a mini-program with a callback mode WeChat does not have", (Function<String, JsonObject>) d ->
        Fixtures.miniapp(d).put("callbackMode", "aes"), "invalid-body", "callbackMode"),
      arguments("a Weibo access token without its expiry", (Function<String, JsonObject>) d ->
        without(Fixtures.weibo(d), "tokenExpiresAt"), "invalid-body", "tokenExpiresAt"),
      arguments("a Weibo token expiry without a time zone", (Function<String, JsonObject>) d -> Fixtures.weibo(d)
        .put("tokenExpiresAt", "2030-06-30T12:00:00"), "invalid-body", "tokenExpiresAt"),
      arguments("a Weibo token expiry in the year 999999999", (Function<String, JsonObject>) d -> Fixtures.weibo(d)
        .put("tokenExpiresAt", "+999999999-12-31T23:59:59+08:00"), "invalid-body", "tokenExpiresAt"),
      arguments("a department that does not exist", (Function<String, JsonObject>) d -> mp.apply(d)
        .put("departmentId", "0123456789abcdef01234567"), "unknown-department", null));
  }

  @ParameterizedTest(name = "{0} is a 400 problem and creates nothing")
  @MethodSource("badBodies")
  @DisplayName("bad account bodies are refused field by field")
  void badInput(String label, Function<String, JsonObject> bodyFor, String code, String field) {
    JsonObject body = bodyFor.apply(client.department(admin, "校验", null));

    Client.Response refused = client.post("/api/v1/accounts", admin, body);

    assertEquals(400, refused.status(), refused::toString);
    assertEquals(code, refused.problemCode());
    if (field != null) {
      JsonArray errors = refused.json().getJsonArray("errors");
      assertTrue(errors.stream().anyMatch(e -> field.equals(((JsonObject) e).getString("field"))), errors::encode);
    }
    assertNoSecrets(refused.text(), body);
    String type = body.getValue("type") instanceof String t && List.of("wechat_mp", "wechat_miniapp", "weibo").contains(t)
      ? "type=" + t : null;
    assertFalse(Fixtures.names(Fixtures.listAll(client, admin, type)).contains(body.getString("name")), label);
  }

  @Test
  @DisplayName("an admin renames an account and rotates its AppSecret: the new secret is kept sealed and never shown")
  void renameAndRotate() {
    JsonObject body = Fixtures.wechatMp(client.department(admin, "发改委", null), "service");
    String id = Fixtures.create(client, admin, body).getString("id");
    String newSecret = "Rot" + Fixtures.alnum(40);

    Client.Response patched = client.patch("/api/v1/accounts/" + id, admin,
      new JsonObject().put("name", "发改委发布").put("appSecret", newSecret));

    assertEquals(200, patched.status(), patched::toString);
    assertEquals("发改委发布", patched.json().getString("name"));
    assertEquals(true, patched.json().getJsonObject("secretsSet").getBoolean("appSecret"));
    assertFalse(patched.text().contains(newSecret), patched.text());
    Client.Response read = client.get("/api/v1/accounts/" + id, admin);
    assertEquals("发改委发布", read.json().getString("name"));
    assertEquals(body.getString("appId"), read.json().getString("appId"));
    assertFalse(read.text().contains(newSecret), read.text());
    assertFalse(Fixtures.stored(id).toJson().contains(newSecret));
    assertEquals(newSecret, Fixtures.open(id, "appSecret"));
    assertEquals(body.getString("token"), Fixtures.open(id, "token"), "rotating the AppSecret lost the token");
    JsonObject update = onlyUpdate(id);
    assertEquals("发改委发布", update.getJsonObject("after").getString("name"));
    assertEquals(true, update.getJsonObject("after").getJsonObject("secretsSet").getBoolean("appSecret"));
    assertFalse(update.encode().contains(newSecret), update.encode());
    assertNoSecrets(update.encode(), body);
  }

  @Test
  @DisplayName("an admin changes the callback mode; safe mode is refused while no EncodingAESKey is set, and a mini-program may record its mode")
  void changeCallbackMode() {
    JsonObject body = Fixtures.wechatMp(client.department(admin, "应急局", null), "service").put("callbackMode", "plain");
    body.remove("aesKey");
    String id = Fixtures.create(client, admin, body).getString("id");

    Client.Response noKey = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("callbackMode", "safe"));
    assertEquals(400, noKey.status(), noKey::toString);
    assertEquals("callbackMode", noKey.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    Client.Response unset = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().putNull("callbackMode"));
    assertEquals(400, unset.status(), "a mode once set cannot be unset: " + unset);
    assertEquals("plain", client.get("/api/v1/accounts/" + id, admin).json().getString("callbackMode"));

    Client.Response safe = client.patch("/api/v1/accounts/" + id, admin,
      new JsonObject().put("callbackMode", "safe").put("aesKey", Fixtures.alnum(43)));
    assertEquals(200, safe.status(), safe::toString);
    assertEquals("safe", safe.json().getString("callbackMode"));
    Client.Response compatible = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("callbackMode", "compatible"));
    assertEquals("compatible", compatible.json().getString("callbackMode"), "the key set before serves");
    assertEquals("compatible", client.get("/api/v1/accounts/" + id, admin).json().getString("callbackMode"));
    JsonObject lastUpdate = auditEntries(id, 3).get(0);
    assertEquals("safe", lastUpdate.getJsonObject("before").getString("callbackMode"));
    assertEquals("compatible", lastUpdate.getJsonObject("after").getString("callbackMode"));

    JsonObject miniapp = Fixtures.create(client, admin, Fixtures.miniapp(client.department(admin, "应急局", null)));
    assertNull(miniapp.getString("callbackMode"), "optional for a mini-program");
    assertFalse(miniapp.containsKey("callbackModeUnset"), "nothing to warn about where the server takes no callback");
    Client.Response recorded = client.patch("/api/v1/accounts/" + miniapp.getString("id"), admin,
      new JsonObject().put("callbackMode", "safe"));
    assertEquals("safe", recorded.json().getString("callbackMode"), recorded::toString);
  }

  @Test
  @DisplayName("an admin closes an account; an unknown status is a 400 problem and changes nothing")
  void closeAccount() {
    String id = Fixtures.create(client, admin, Fixtures.miniapp(client.department(admin, "档案馆", null))).getString("id");

    Client.Response invalid = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("status", "deleted"));
    assertEquals(400, invalid.status(), invalid::toString);
    assertEquals("invalid-body", invalid.problemCode());
    assertEquals("active", client.get("/api/v1/accounts/" + id, admin).json().getString("status"));

    Client.Response closed = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("status", "closed"));
    assertEquals(200, closed.status(), closed::toString);
    assertEquals("closed", closed.json().getString("status"));
    assertEquals("closed", client.get("/api/v1/accounts/" + id, admin).json().getString("status"));
    JsonObject update = onlyUpdate(id);
    assertEquals("active", update.getJsonObject("before").getString("status"));
    assertEquals("closed", update.getJsonObject("after").getString("status"));
  }

  @Test
  @DisplayName("closing an account (a 僵尸号) frees its department's place for a replacement, and it cannot reopen beside it")
  void closedAccountMakesRoom() {
    String department = client.department(admin, "文旅局", null);
    String old = Fixtures.create(client, admin, Fixtures.wechatMp(department, "subscription")).getString("id");
    assertEquals(409, client.post("/api/v1/accounts", admin, Fixtures.wechatMp(department, "subscription")).status());

    assertEquals(200, client.patch("/api/v1/accounts/" + old, admin, new JsonObject().put("status", "closed")).status());
    Client.Response replacement = client.post("/api/v1/accounts", admin, Fixtures.wechatMp(department, "service"));
    assertEquals(201, replacement.status(), replacement::toString);

    Client.Response reopen = client.patch("/api/v1/accounts/" + old, admin, new JsonObject().put("status", "active"));
    assertEquals(409, reopen.status(), reopen::toString);
    assertEquals("account-per-department-limit", reopen.problemCode());
  }

  @Test
  @DisplayName("moving an account to a department that already has one on that platform needs an admin's recorded reason")
  void moveIntoOccupiedDepartment() {
    String occupied = client.department(admin, "交通局", null);
    Fixtures.create(client, admin, Fixtures.weibo(occupied));
    String home = client.department(admin, "公路中心", null);
    String id = Fixtures.create(client, admin, Fixtures.weibo(home)).getString("id");

    Client.Response refused = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("departmentId", occupied));

    assertEquals(409, refused.status(), refused::toString);
    assertEquals("account-per-department-limit", refused.problemCode());
    assertEquals(home, client.get("/api/v1/accounts/" + id, admin).json().getString("departmentId"));

    Client.Response moved = client.patch("/api/v1/accounts/" + id, admin,
      new JsonObject().put("departmentId", occupied).put("overrideReason", "机构改革后并入交通局，保留原账号"));
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(occupied, moved.json().getString("departmentId"));
    assertEquals("机构改革后并入交通局，保留原账号", moved.json().getString("overrideReason"));
    JsonObject update = onlyUpdate(id);
    assertEquals(home, update.getJsonObject("before").getString("departmentId"));
    assertEquals(occupied, update.getJsonObject("after").getString("departmentId"));
    assertEquals("机构改革后并入交通局，保留原账号", update.getJsonObject("after").getString("overrideReason"));
  }

  @Test
  @DisplayName("changing an account that does not exist is a 404, and moving one to an unknown department a 400")
  void patchUnknowns() {
    Client.Response missing = client.patch("/api/v1/accounts/0123456789abcdef01234567", admin,
      new JsonObject().put("name", "不存在"));
    assertEquals(404, missing.status(), missing::toString);
    assertEquals("not-found", missing.problemCode());

    String department = client.department(admin, "水利局", null);
    String id = Fixtures.create(client, admin, Fixtures.miniapp(department)).getString("id");
    Client.Response unknown = client.patch("/api/v1/accounts/" + id, admin,
      new JsonObject().put("departmentId", "0123456789abcdef01234567"));
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown-department", unknown.problemCode());
    assertEquals(department, client.get("/api/v1/accounts/" + id, admin).json().getString("departmentId"));
  }

  @Test
  @DisplayName("an account's platform identity cannot be changed: a new AppID means a new account")
  void identityFixed() {
    JsonObject body = Fixtures.wechatMp(client.department(admin, "统计局", null), "subscription");
    String id = Fixtures.create(client, admin, body).getString("id");

    Client.Response refused = client.patch("/api/v1/accounts/" + id, admin,
      new JsonObject().put("appId", Fixtures.appId()).put("type", "weibo"));

    assertEquals(400, refused.status(), refused::toString);
    assertEquals("invalid-body", refused.problemCode());
    JsonObject read = client.get("/api/v1/accounts/" + id, admin).json();
    assertEquals(body.getString("appId"), read.getString("appId"));
    assertEquals("wechat_mp", read.getString("type"));
  }

  @Test
  @DisplayName("registering and changing an account are audited with before and after summaries that hold no secret")
  void audited() {
    JsonObject body = Fixtures.weibo(client.department(admin, "审计局", null));
    String id = Fixtures.create(client, admin, body).getString("id");
    String newToken = "2.00" + Fixtures.alnum(30);
    Client.Response patched = client.patch("/api/v1/accounts/" + id, admin, new JsonObject().put("name", "审计发布")
      .put("accessToken", newToken).put("tokenExpiresAt", "2031-01-01T00:00:00+08:00"));
    assertEquals(200, patched.status(), patched::toString);

    List<JsonObject> entries = auditEntries(id, 2);

    JsonObject create = entries.stream().filter(e -> "account.create".equals(e.getString("action"))).findFirst()
      .orElseThrow(() -> new AssertionError("no account.create entry for " + id));
    assertNull(create.getValue("before"));
    assertEquals(body.getString("name"), create.getJsonObject("after").getString("name"));
    assertEquals(true, create.getJsonObject("after").getJsonObject("secretsSet").getBoolean("appSecret"));
    assertEquals("admin", create.getJsonObject("actor").getString("username"));
    assertEquals("account", create.getString("targetType"));

    JsonObject update = entries.stream().filter(e -> "account.update".equals(e.getString("action"))).findFirst()
      .orElseThrow(() -> new AssertionError("no account.update entry for " + id));
    assertEquals(body.getString("name"), update.getJsonObject("before").getString("name"));
    assertEquals("审计发布", update.getJsonObject("after").getString("name"));
    assertNotEquals(update.getJsonObject("before").getString("tokenExpiresAt"),
      update.getJsonObject("after").getString("tokenExpiresAt"));

    String text = new JsonArray(entries).encode();
    assertNoSecrets(text, body);
    assertFalse(text.contains(newToken), text);
  }

  /** The account's one account.update entry: refused changes leave none. */
  private static JsonObject onlyUpdate(String accountId) {
    List<JsonObject> entries = auditEntries(accountId, 2);
    List<String> actions = entries.stream().map(e -> e.getString("action")).toList();
    assertEquals(List.of("account.update", "account.create"), actions);
    return entries.get(0);
  }

  /** This account's entries, newest first, read through the audit API until {@code expected} are found. */
  private static List<JsonObject> auditEntries(String accountId, int expected) {
    List<JsonObject> found = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Client.Response page = client.get("/api/v1/audit?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), admin);
      assertEquals(200, page.status(), page::toString);
      page.items().stream().map(JsonObject.class::cast)
        .filter(e -> accountId.equals(e.getString("targetId"))).forEach(found::add);
      cursor = page.json().getString("next");
    } while (cursor != null && found.size() < expected);
    return found;
  }

  private static JsonObject without(JsonObject body, String field) {
    body.remove(field);
    return body;
  }

  private static void assertNoSecrets(String text, JsonObject body) {
    for (String field : SECRET_FIELDS) {
      if (body.getValue(field) instanceof String secret) {
        assertFalse(text.contains(secret), field + " leaked: " + text);
      }
    }
  }

  private static boolean isChinese(String text) {
    return text != null && text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
