package io.govmedia.console;

import io.govmedia.Main;
import io.govmedia.support.Browser;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's page, files and cookie session, over HTTP and in Chromium. */
class ConsoleShellTest {

  private final TestServer server = TestServer.get();
  private final Client client = server.client();

  @Test
  void pageAndFilesWithStrictPolicyAndCaching() {
    Client.Response redirect = client.get("/console", null);
    assertEquals(301, redirect.status());
    assertEquals("/console/", redirect.header("Location"));

    Client.Response page = client.get("/console/", null);
    assertEquals(200, page.status(), page::toString);
    assertTrue(page.contentType().startsWith("text/html"));
    assertEquals("no-cache", page.header("Cache-Control"));
    String csp = page.header("Content-Security-Policy");
    assertNotNull(csp);
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-eval"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(page.text().contains("<script>"), "no inline script");

    Matcher scripts = Pattern.compile("(?:src|href)=\"(/console/[^\"]+)\"").matcher(page.text());
    int files = 0;
    while (scripts.find()) {
      Client.Response file = client.get(scripts.group(1), null);
      assertEquals(200, file.status(), scripts.group(1));
      assertEquals("public, max-age=31536000, immutable", file.header("Cache-Control"), scripts.group(1));
      assertEquals("nosniff", file.header("X-Content-Type-Options"));
      files++;
    }
    assertTrue(files >= 4, "page names its style sheet, Vue, Chart.js and the app: " + files);

    Matcher version = Pattern.compile("/console/v/([0-9a-f]{12})/js/app.js").matcher(page.text());
    assertTrue(version.find());
    assertEquals(404, client.get("/console/v/000000000000/js/app.js", null).status(), "another build's file");
    assertEquals(404, client.get("/console/v/" + version.group(1) + "/../index.html", null).status());
    assertEquals(404, client.get("/console/webjars/vue/3.5.26/package.json", null).status(), "only the two bundles");
    assertEquals(405, client.post("/console/", null, new JsonObject()).status());
  }

  @Test
  void cookieSessionKeepsTheRefreshTokenAwayFromScripts() throws Exception {
    String admin = client.adminToken();
    Client.Member editor = client.staffMember(admin, "编辑小王", List.of("editor"), List.of(), List.of());
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + client.port();
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/console/login"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", editor.username())
        .put("password", editor.password()).encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    JsonObject body = new JsonObject(login.body());
    assertNotNull(body.getString("accessToken"));
    assertNull(body.getString("refreshToken"), "the refresh token is only in the cookie");
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("govmedia_console="), setCookie);
    assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/api/v1/auth/console"), setCookie);
    assertFalse(setCookie.contains("Secure"), "plain HTTP in tests: Secure only behind HTTPS");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    // The cookie alone authorizes nothing but a new access token.
    assertEquals(401, client.get("/api/v1/auth/me", null, Map.of("Cookie", cookie)).status());
    assertEquals(401, client.raw("POST", "/api/v1/auth/console/logout", null, "application/json", "{}".getBytes(),
      Map.of("Cookie", cookie)).status(), "logging out needs the bearer too");
    Client.Response crossSite = client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
      "{}".getBytes(), Map.of("Cookie", cookie, "Origin", "https://evil.example.com"));
    assertEquals(403, crossSite.status());
    assertEquals("cross-origin", crossSite.problemCode());

    Client.Response refreshed = client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
      "{}".getBytes(), Map.of("Cookie", cookie, "Origin", base));
    assertEquals(200, refreshed.status(), refreshed::toString);
    String next = refreshed.header("Set-Cookie");
    assertTrue(next.startsWith("govmedia_console=") && !next.startsWith(cookie + ";"), "rotated: " + next);
    String token = refreshed.json().getString("accessToken");
    assertEquals(200, client.get("/api/v1/auth/me", token).status());

    Client.Response none = client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
      "{}".getBytes(), Map.of());
    assertEquals(401, none.status());
    assertEquals("console-signed-out", none.problemCode());

    Client.Response logout = client.raw("POST", "/api/v1/auth/console/logout", token, "application/json",
      "{}".getBytes(), Map.of("Cookie", next.substring(0, next.indexOf(';'))));
    assertEquals(204, logout.status(), logout::toString);
    assertTrue(logout.header("Set-Cookie").contains("Max-Age=0"), logout.header("Set-Cookie"));
    assertEquals(401, client.get("/api/v1/auth/me", token).status(), "the session is over");
  }

  @Test
  void aRefreshRetriedMomentsLaterIsNotTakenForTheft() {
    String admin = client.adminToken();
    Client.Member editor = client.staffMember(admin, "编辑小孙", List.of("editor"), List.of(), List.of());
    Client.Response login = client.raw("POST", "/api/v1/auth/console/login", null, "application/json",
      new JsonObject().put("username", editor.username()).put("password", editor.password()).encode().getBytes(),
      Map.of());
    String cookie = login.header("Set-Cookie").substring(0, login.header("Set-Cookie").indexOf(';'));
    Client.Response first = client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
      "{}".getBytes(), Map.of("Cookie", cookie));
    assertEquals(200, first.status(), first::toString);
    // The page was reloaded before the first answer arrived: the browser still holds the spent cookie.
    Client.Response retried = client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
      "{}".getBytes(), Map.of("Cookie", cookie));
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(200, client.get("/api/v1/auth/me", first.json().getString("accessToken")).status(),
      "the session still stands");
    assertEquals(200, client.get("/api/v1/auth/me", retried.json().getString("accessToken")).status());
  }

  @Test
  void cookieIsSecureBehindAnHttpsProxy() {
    String admin = client.adminToken();
    Client.Member editor = client.staffMember(admin, "编辑小赵", List.of("editor"), List.of(), List.of());
    try (Main.Running proxied = server.startAnother(Map.of("GOVMEDIA_HTTP_TRUST_FORWARDED_FOR", "true"))) {
      Client behind = new Client(proxied.port());
      Client.Response login = behind.raw("POST", "/api/v1/auth/console/login", null, "application/json",
        new JsonObject().put("username", editor.username()).put("password", editor.password()).encode().getBytes(),
        Map.of("X-Forwarded-Proto", "https"));
      assertEquals(200, login.status(), login::toString);
      assertTrue(login.header("Set-Cookie").contains("Secure"), login.header("Set-Cookie"));
    }
  }

  @Test
  void signInInChromiumSurvivesAReloadWithoutStoringTokens() {
    String admin = client.adminToken();
    Client.Member editor = client.staffMember(admin, "编辑小李", List.of("editor"), List.of(), List.of());
    try (Browser browser = Browser.open(client.port())) {
      browser.driver().get(browser.base() + "/console/");
      browser.waitFor(By.id("signin-username")).sendKeys(editor.username());
      browser.find(By.id("signin-password")).sendKeys("wrong-password-1");
      browser.assertAccessible("sign-in");
      browser.screenshot("sign-in");
      browser.find(By.cssSelector(".signin-form button[type=submit]")).click();
      assertTrue(browser.waitFor(By.cssSelector(".signin-form [role=alert]")).getText().contains("用户名或密码错误"));
      assertTrue(browser.findAll(By.cssSelector("header.topbar")).isEmpty(), "still signed out");
      browser.assertNoScriptErrors("/api/v1/auth/console/login - Failed to load resource: the server responded "
        + "with a status of 401");
    }
    try (Browser browser = Browser.open(client.port())) {
      browser.signIn(editor.username(), editor.password());
      browser.waitForText("编辑小李");
      browser.assertNoScriptErrors();
      browser.assertAccessible("home");
      browser.screenshot("home");

      assertEquals("", browser.script("return document.cookie"), "the session cookie is HttpOnly");
      assertEquals(0L, browser.script("return localStorage.length + sessionStorage.length - "
        + "(localStorage.getItem('govmedia.console.notify') === null ? 0 : 1)"), "no token in web storage");

      browser.driver().navigate().refresh();
      browser.waitFor(By.cssSelector("header.topbar"));
      browser.waitForText("编辑小李");

      browser.button("退出登录").click();
      browser.waitFor(By.id("signin-username"));
      browser.driver().navigate().refresh();
      browser.waitFor(By.id("signin-username"));
      assertEquals(401, client.raw("POST", "/api/v1/auth/console/refresh", null, "application/json",
        "{}".getBytes(), Map.of()).status());
      browser.assertNoScriptErrors();
    }
  }
}
