package io.govmedia.weibo;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Binding a Weibo account through OAuth")
class WeiboOAuthTest {

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  @Test
  @DisplayName("an admin gets Weibo's authorization URL, signs in there, and the account then holds a sealed token with its expiry")
  void bindsEndToEnd() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    String url = WeiboFixtures.authorizeUrl(client, admin, account.id());

    URI authorize = URI.create(url);
    assertTrue(url.startsWith(TestServer.get().weibo().baseUrl() + "/oauth2/authorize?"), url);
    String query = URLDecoder.decode(authorize.getRawQuery(), StandardCharsets.UTF_8);
    assertTrue(query.contains("client_id=" + account.appKey()), query);
    assertTrue(query.contains("redirect_uri=https://" + TestServer.PUBLIC_HOST + "/weibo/oauth/callback"), query);

    TestServer.get().weibo().signedIn(account.appKey(), account.uid(), Duration.ofDays(30).toSeconds());
    Client.Response page = WeiboFixtures.authorizeInBrowser(client, url);

    assertEquals(200, page.status(), page.text());
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    assertTrue(page.text().contains("授权成功，可以关闭此页面"), page.text());
    JsonObject shown = client.get("/api/v1/accounts/" + account.id(), admin).json();
    assertTrue(shown.getJsonObject("secretsSet").getBoolean("accessToken"));
    OffsetDateTime issued = OffsetDateTime.parse(shown.getString("tokenIssuedAt"));
    OffsetDateTime expires = OffsetDateTime.parse(shown.getString("tokenExpiresAt"));
    assertEquals(Duration.ofDays(30), Duration.between(issued, expires));
    assertFalse(shown.getBoolean("tokenWarning"));
    assertFalse(shown.encode().contains("2.00"), "the token itself is never shown: " + shown);
    assertTrue(auditedBindings(account.id()).contains("admin"), "the binding is audited in the admin's name");
  }

  @Test
  @DisplayName("a state works once: the same callback again is refused with a page, and the token stays as bound")
  void stateIsSingleUse() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    TestServer.get().weibo().signedIn(account.appKey(), account.uid(), 86_400);
    String location = WeiboFixtures.redirect(WeiboFixtures.authorizeUrl(client, admin, account.id()));
    URI back = URI.create(location);
    String callback = back.getRawPath() + "?" + back.getRawQuery();

    Client.Response first = client.get(callback, null);
    Client.Response again = client.get(callback, null);
    Client.Response forged = client.get("/weibo/oauth/callback?code=abc&state=" + "A".repeat(43), null);

    assertEquals(200, first.status(), first.text());
    assertEquals(400, again.status(), again.text());
    assertTrue(again.text().contains("授权链接无效或已使用"), again.text());
    assertEquals(400, forged.status());
    assertEquals(1, auditedBindings(account.id()).size());
  }

  @Test
  @DisplayName("a token for another Weibo user than the account's registered uid is refused and not stored")
  void wrongUidRefused() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    TestServer.get().weibo().signedIn(account.appKey(), WeiboFixtures.digits(10), 86_400);

    Client.Response page = WeiboFixtures.authorizeInBrowser(client,
      WeiboFixtures.authorizeUrl(client, admin, account.id()));

    assertEquals(409, page.status(), page.text());
    assertTrue(page.text().contains("授权的微博账号不符"), page.text());
    JsonObject shown = client.get("/api/v1/accounts/" + account.id(), admin).json();
    assertFalse(shown.getJsonObject("secretsSet").getBoolean("accessToken"));
    assertNull(shown.getString("tokenExpiresAt"));
  }

  @Test
  @DisplayName("Weibo refusing the code shows a 502 page that says to try again")
  void weiboErrorPage() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    TestServer.get().weibo().failNext("/oauth2/access_token", 21325);

    Client.Response page = WeiboFixtures.bind(client, admin, account, 86_400);

    assertEquals(502, page.status(), page.text());
    assertTrue(page.text().contains("重新发起授权"), page.text());
  }

  @Test
  @DisplayName("only admins may start an authorization, and only for a Weibo account with its app set")
  void onlyAdmins() {
    WeiboFixtures.Registered account = WeiboFixtures.account(client, admin);
    String editor = client.staffToken(admin, List.of("editor"), List.of(account.departmentId()), List.of(account.id()));
    String wechat = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_miniapp")
      .put("name", "小程序-" + Client.unique()).put("departmentId", client.department(admin, "小程序", null))
      .put("appId", "wx" + WeiboFixtures.digits(16))
      .put("appSecret", "Sec" + WeiboFixtures.digits(29))).json().getString("id");

    Client.Response byEditor = client.post("/api/v1/accounts/" + account.id() + "/weibo/authorize", editor, "{}");
    Client.Response notWeibo = client.post("/api/v1/accounts/" + wechat + "/weibo/authorize", admin, "{}");
    Client.Response unknown = client.post("/api/v1/accounts/" + "0".repeat(24) + "/weibo/authorize", admin, "{}");

    assertEquals(403, byEditor.status(), byEditor.text());
    assertEquals(400, notWeibo.status(), notWeibo.text());
    assertEquals("not-weibo", notWeibo.problemCode());
    assertEquals(404, unknown.status(), unknown.text());
  }

  /** The actors of this account's {@code account.weibo-authorize} entries among the latest audit entries. */
  static List<String> auditedBindings(String accountId) {
    return client.get("/api/v1/audit?limit=100", admin).items().stream().map(JsonObject.class::cast)
      .filter(e -> "account.weibo-authorize".equals(e.getString("action")) && accountId.equals(e.getString("targetId")))
      .map(e -> e.getJsonObject("actor").getString("username")).toList();
  }
}
