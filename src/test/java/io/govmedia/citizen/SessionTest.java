package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Signing in to the mini-program")
class SessionTest {

  static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");

  static Client client;
  static String admin;
  static FakeWeChat wechat;
  static Main.Running server;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    wechat = TestServer.get().wechat();
    server = TestServer.get().running();
  }

  static Client.Response signIn(Client client, String appId, String code) {
    return client.post("/mp/v1/session", null, new JsonObject().put("code", code).put("appId", appId));
  }

  static Client.Response me(Client client, String authorization) {
    return client.raw("GET", "/mp/v1/me", null, null, null,
      authorization == null ? Map.of() : Map.of("Authorization", authorization));
  }

  static void assertProblem(int status, String code, Client.Response answer) {
    assertEquals(status, answer.status(), answer::toString);
    assertEquals(code, answer.problemCode(), answer::toString);
    assertTrue(CHINESE.matcher(answer.json().getString("title")).find(), answer::toString);
  }

  @Test
  @DisplayName("a good login code gets a 7-day token that works on /mp/v1/me; the answer holds no openid and no session key")
  void goodCode() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String openid = Miniapps.openid();

    Client.Response answer = signIn(client, app.appId(), wechat.miniapp().code(app.appId(), openid, null));

    assertEquals(200, answer.status(), answer::toString);
    assertEquals(Duration.ofDays(7).toSeconds(), answer.json().getLong("expiresIn"));
    assertEquals("no-store", answer.header("Cache-Control"));
    assertEquals(java.util.Set.of("token", "expiresIn"), answer.json().fieldNames());
    assertFalse(answer.text().contains(openid));
    Client.Response me = me(client, "Bearer " + answer.json().getString("token"));
    assertEquals(200, me.status(), me::toString);
    assertEquals(app.id(), me.json().getString("accountId"));
    assertEquals(app.appId(), me.json().getString("appId"));
  }

  @Test
  @DisplayName("the session carries the citizen's openid, and the unionid when WeChat gives one; the session key is kept sealed")
  void unionidCarried() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String openid = Miniapps.openid();
    String unionid = "u" + Client.unique();

    String token = Citizens.signIn(client, app.appId(), wechat.miniapp().code(app.appId(), openid, unionid));
    String withoutUnion = Citizens.signIn(client, app.appId(), wechat.miniapp().code(app.appId(), openid, null));

    CitizenSessions sessions = server.feature(CitizenFeature.class).sessions();
    CitizenSession session = Miniapps.await(sessions.find(token));
    assertEquals(openid, session.openid());
    assertEquals(unionid, session.unionid());
    assertEquals(app.id(), session.accountId());
    assertNull(Miniapps.await(sessions.find(withoutUnion)).unionid());
    String sessionKey = wechat.miniapp().sessionKeyOf(openid);
    assertNotNull(sessionKey);
    try (Redis redis = Redis.connect(TestServer.get().redisUri())) {
      List<String> keys = redis.sync().keys(Redis.PREFIX + "mp:session:*");
      for (String key : keys) {
        assertFalse(redis.sync().get(key).contains(sessionKey), "a session key is stored in the clear");
      }
    }
  }

  @Test
  @DisplayName("a wrong code and a code used once already are refused with 401 code-invalid")
  void badCodes() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String code = wechat.miniapp().code(app.appId(), Miniapps.openid(), null);
    Citizens.signIn(client, app.appId(), code);

    assertProblem(401, "code-invalid", signIn(client, app.appId(), code));
    assertProblem(401, "code-invalid", signIn(client, app.appId(), "0" + Client.unique() + Client.unique()));
    Miniapps.Miniapp other = Miniapps.register(client, admin, wechat);
    assertProblem(401, "code-invalid", signIn(client, app.appId(),
      wechat.miniapp().code(other.appId(), Miniapps.openid(), null)));
  }

  @Test
  @DisplayName("no header, a forged token, 'Bearer' with garbage or nothing, and another scheme all get 401 session-invalid")
  void forgedTokens() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    String token = Citizens.signIn(client, app.appId(), wechat.miniapp().code(app.appId(), Miniapps.openid(), null));
    String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

    for (String authorization : java.util.Arrays.asList(null, "Bearer " + forged, "Bearer garbage", "Bearer ",
      "Bearer " + "x".repeat(5000), "Basic " + token, token)) {
      assertProblem(401, "session-invalid", me(client, authorization));
    }
    assertEquals(200, me(client, "Bearer " + token).status());
  }

  @Test
  @DisplayName("a token is refused with 401 session-invalid once its 7 days have passed")
  void expiredToken() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    MovableClock clock = new MovableClock();
    try (Main.Running moved = TestServer.get().startAnother(Map.of(), clock)) {
      Client movedClient = new Client(moved.port());
      String token = Citizens.signIn(movedClient, app.appId(), wechat.miniapp().code(app.appId(), Miniapps.openid(), null));
      assertEquals(200, me(movedClient, "Bearer " + token).status());

      clock.advance(Duration.ofDays(7).plusSeconds(1));

      assertProblem(401, "session-invalid", me(movedClient, "Bearer " + token));
    }
  }

  @Test
  @DisplayName("an AppID nobody registered is 400 unknown-app; without appId, several mini-programs make it 400 app-id-required")
  void choosingTheMiniapp() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    Miniapps.register(client, admin, wechat);

    assertProblem(400, "unknown-app", signIn(client, "wx0000000000000000", "0" + Client.unique()));
    assertProblem(400, "app-id-required", signIn(client, null,
      wechat.miniapp().code(app.appId(), Miniapps.openid(), null)));
    assertProblem(400, "invalid-body", signIn(client, "not-an-app-id", "0" + Client.unique()));
  }

  @Test
  @DisplayName("with one mini-program registered, a sign-in without appId is for it")
  void theOnlyMiniapp() {
    try (Main.Running own = TestServer.get().startAnother(Map.of("GOVMEDIA_MONGO_DATABASE", "govmedia_one_mp_"
      + Client.unique()))) {
      Client ownClient = new Client(own.port());
      Miniapps.Miniapp app = Miniapps.register(ownClient, ownClient.adminToken(), wechat);

      String token = Citizens.signIn(ownClient, null, wechat.miniapp().code(app.appId(), Miniapps.openid(), null));

      assertEquals(app.id(), me(ownClient, "Bearer " + token).json().getString("accountId"));
    }
  }

  @Test
  @DisplayName("empty, cut-off and non-JSON bodies, and codes with characters WeChat never uses, are 400 problems")
  void badBodies() {
    for (byte[] body : List.of(new byte[0], "{\"code\":".getBytes(StandardCharsets.UTF_8),
      "code=abc".getBytes(StandardCharsets.UTF_8), "{\"code\":\"a&secret=x\"}".getBytes(StandardCharsets.UTF_8),
      "{\"code\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
      ("{\"code\":\"" + "a".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8))) {
      Client.Response answer = client.raw("POST", "/mp/v1/session", null, "application/json", body);
      assertEquals(400, answer.status(), answer::toString);
      assertTrue(CHINESE.matcher(answer.json().getString("title")).find(), answer::toString);
    }
  }

  @Test
  @DisplayName("with WeChat unreachable, a sign-in is 503 wechat-unavailable")
  void wechatUnreachable() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    try (Main.Running cut = TestServer.get().startAnother(Map.of("GOVMEDIA_WECHAT_API_BASE",
      "http://127.0.0.1:" + TestServer.freePort()))) {
      Client.Response answer = signIn(new Client(cut.port()), app.appId(),
        wechat.miniapp().code(app.appId(), Miniapps.openid(), null));

      assertProblem(503, "wechat-unavailable", answer);
    }
  }

  @Test
  @DisplayName("more than 30 sign-ins a minute from one address are refused with 429 and Retry-After; another address is not affected")
  void throttledPerAddress() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    try (Main.Running proxied = TestServer.get().startAnother(Map.of("GOVMEDIA_HTTP_TRUST_FORWARDED_FOR", "true"))) {
      Client proxiedClient = new Client(proxied.port());
      String address = "198.51.100." + (1 + new java.util.Random().nextInt(250));
      for (int i = 0; i < SignInThrottle.PER_MINUTE; i++) {
        Client.Response tried = signInFrom(proxiedClient, address, app.appId(), "0" + Client.unique());
        assertEquals(401, tried.status(), tried::toString);
      }

      Client.Response refused = signInFrom(proxiedClient, address, app.appId(),
        wechat.miniapp().code(app.appId(), Miniapps.openid(), null));
      Client.Response elsewhere = signInFrom(proxiedClient, "203.0.113.7", app.appId(),
        wechat.miniapp().code(app.appId(), Miniapps.openid(), null));

      assertProblem(429, "too-many-sign-ins", refused);
      assertNotNull(refused.header("Retry-After"));
      assertEquals(200, elsewhere.status(), elsewhere::toString);
    }
  }

  private static Client.Response signInFrom(Client client, String address, String appId, String code) {
    return client.raw("POST", "/mp/v1/session", null, "application/json",
      new JsonObject().put("code", code).put("appId", appId).encode().getBytes(StandardCharsets.UTF_8),
      Map.of("X-Forwarded-For", address));
  }
}
