package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.fakes.FakeWeChatMiniapp;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The mini-program's message push")
class MiniappCallbackTest {

  static final List<Screening.ImageVerdict> received = new CopyOnWriteArrayList<>();

  static Client client;
  static String admin;
  static FakeWeChat wechat;
  static Main.Running server;
  static Screening screening;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    wechat = TestServer.get().wechat();
    server = TestServer.get().running();
    screening = server.feature(CitizenFeature.class).screening();
    screening.onImageVerdict(received::add);
  }

  /** A mini-program whose push WeChat sends to our callback, in this format and mode. */
  static FakeWeChatMiniapp.PushConfig configure(Miniapps.Miniapp app, boolean json, boolean encrypted) {
    FakeWeChatMiniapp.PushConfig config = new FakeWeChatMiniapp.PushConfig(url(app.id()), app.token(), app.aesKey(),
      json, encrypted);
    wechat.miniapp().pushTo(app.appId(), config);
    return config;
  }

  static String url(String accountId) {
    return "http://127.0.0.1:" + client.port() + "/wechat/miniapp/callback/" + accountId;
  }

  /** An image check of a citizen of the mini-program, started through the server's screening; answers its trace id. */
  static String imageCheck(Miniapps.Miniapp app) throws Exception {
    return Miniapps.await(screening.image(Miniapps.session(server, app, Miniapps.openid()), Screening.Scene.COMMENT,
      "https://" + TestServer.PUBLIC_HOST + "/media/" + Client.unique()));
  }

  static List<Screening.ImageVerdict> verdicts(String traceId) {
    return received.stream().filter(v -> v.traceId().equals(traceId)).toList();
  }

  static void assertProblem(int status, String code, FakeWeChatMiniapp.PushAnswer answer) {
    assertEquals(status, answer.status(), answer::toString);
    JsonObject problem = new JsonObject(answer.body());
    assertEquals(code, problem.getString("code"), answer::toString);
  }

  @ParameterizedTest(name = "JSON {0}, encrypted {1}")
  @CsvSource({"true, false", "true, true", "false, false", "false, true"})
  @DisplayName("a verified push of an image verdict is answered 'success' and delivers the verdict once")
  void deliversVerdict(boolean json, boolean encrypted) throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, encrypted);
    configure(app, json, encrypted);
    String traceId = imageCheck(app);

    FakeWeChatMiniapp.PushAnswer answer = wechat.miniapp().pushVerdict(traceId, "risky", 20002);

    assertEquals(200, answer.status(), answer::toString);
    assertEquals("success", answer.body());
    assertEquals(List.of(new Screening.ImageVerdict(app.id(), traceId, Screening.Verdict.RISKY, "20002")),
      verdicts(traceId));
  }

  @Test
  @DisplayName("a pass verdict and one without a suggestion arrive as pass and review")
  void passAndUnknown() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    configure(app, true, true);
    String passed = imageCheck(app);
    String unclear = imageCheck(app);

    wechat.miniapp().pushVerdict(passed, "pass", 100);
    JsonObject failedCheck = FakeWeChatMiniapp.verdictEvent(wechat.miniapp().mediaCheck(unclear), "pass", 100)
      .put("errcode", 1).put("result", new JsonObject());
    wechat.miniapp().push(app.appId(), failedCheck);

    assertEquals(Screening.Verdict.PASS, verdicts(passed).get(0).verdict());
    assertEquals(Screening.Verdict.REVIEW, verdicts(unclear).get(0).verdict());
  }

  @Test
  @DisplayName("a push repeated under the same timestamp and nonce is answered 'success' without delivering the verdict again")
  void replay() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat);
    FakeWeChatMiniapp.PushConfig config = configure(app, true, true);
    String traceId = imageCheck(app);
    JsonObject event = FakeWeChatMiniapp.verdictEvent(wechat.miniapp().mediaCheck(traceId), "risky", 20002);
    WeChatCallbacks.Delivery delivery = wechat.miniapp().delivery(app.appId(), config, event, now(), "n"
      + Client.unique());

    FakeWeChatMiniapp.PushAnswer first = wechat.miniapp().send(config, delivery);
    FakeWeChatMiniapp.PushAnswer again = wechat.miniapp().send(config, delivery);

    assertEquals("success", first.body());
    assertEquals(200, again.status(), again::toString);
    assertEquals("success", again.body());
    assertEquals(1, verdicts(traceId).size());
  }

  @Test
  @DisplayName("a forged signature (plain or msg_signature) or a stale timestamp is 403 problem+json and delivers nothing")
  void forged() throws Exception {
    Miniapps.Miniapp plainApp = Miniapps.register(client, admin, wechat, false);
    Miniapps.Miniapp safeApp = Miniapps.register(client, admin, wechat, true);
    String plainTrace = imageCheck(plainApp);
    String safeTrace = imageCheck(safeApp);
    FakeWeChatMiniapp.PushConfig forgedPlain = new FakeWeChatMiniapp.PushConfig(url(plainApp.id()), "forgedtoken",
      null, false, false);
    FakeWeChatMiniapp.PushConfig forgedSafe = new FakeWeChatMiniapp.PushConfig(url(safeApp.id()), "forgedtoken",
      safeApp.aesKey(), true, true);
    FakeWeChatMiniapp.PushConfig stale = configure(plainApp, false, false);

    FakeWeChatMiniapp.PushAnswer plain = wechat.miniapp().send(forgedPlain, wechat.miniapp().delivery(plainApp.appId(),
      forgedPlain, event(plainTrace), now(), "n1" + Client.unique()));
    FakeWeChatMiniapp.PushAnswer safe = wechat.miniapp().send(forgedSafe, wechat.miniapp().delivery(safeApp.appId(),
      forgedSafe, event(safeTrace), now(), "n2" + Client.unique()));
    FakeWeChatMiniapp.PushAnswer old = wechat.miniapp().send(stale, wechat.miniapp().delivery(plainApp.appId(),
      stale, event(plainTrace), now() - 600, "n3" + Client.unique()));

    assertProblem(403, "invalid-signature", plain);
    assertProblem(403, "invalid-signature", safe);
    assertProblem(403, "invalid-signature", old);
    assertTrue(verdicts(plainTrace).isEmpty());
    assertTrue(verdicts(safeTrace).isEmpty());
  }

  @Test
  @DisplayName("a plain push to a mini-program with an AES key is 403 encryption-required; one encrypted for another AppID is 400")
  void encryptionRequired() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, true);
    String traceId = imageCheck(app);
    configure(app, true, false);
    FakeWeChatMiniapp.PushAnswer refused = wechat.miniapp().pushVerdict(traceId, "pass", 100);
    FakeWeChatMiniapp.PushConfig safe = configure(app, true, true);
    WeChatCallbacks.Delivery forOther = wechat.miniapp().delivery("wx00000000000000ff", safe, event(traceId),
      now(), "n" + Client.unique());

    FakeWeChatMiniapp.PushAnswer otherApp = wechat.miniapp().send(safe, forOther);

    assertProblem(403, "encryption-required", refused);
    assertProblem(400, "undecryptable", otherApp);
    assertTrue(verdicts(traceId).isEmpty());
  }

  @Test
  @DisplayName("a push to an unknown account or a malformed id is 404 and delivers nothing")
  void unknownAccount() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, false);
    String traceId = imageCheck(app);
    for (String id : List.of("6b0fb7475a59b15d742e5e00", "not-an-id")) {
      FakeWeChatMiniapp.PushConfig config = new FakeWeChatMiniapp.PushConfig(url(id), app.token(), null, true, false);
      FakeWeChatMiniapp.PushAnswer answer = wechat.miniapp().send(config,
        wechat.miniapp().delivery(app.appId(), config, event(traceId), now(), "n" + Client.unique()));
      assertEquals(404, answer.status(), answer::toString);
    }
    assertTrue(verdicts(traceId).isEmpty());
  }

  @Test
  @DisplayName("an empty body, a body neither JSON nor XML, broken XML and XML with a DOCTYPE are 400 problems")
  void badBodies() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, false);
    List<String> bodies = List.of("", "   ", "hello", "<xml><Event>wxa_media_check</Event>", "{\"Event\":",
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>");
    for (String body : bodies) {
      long now = now();
      String nonce = "n" + Client.unique();
      String query = "signature=" + WeChatCallbacks.sha1(app.token(), String.valueOf(now), nonce) + "&timestamp=" + now
        + "&nonce=" + nonce;
      Client.Response answer = client.raw("POST", "/wechat/miniapp/callback/" + app.id() + "?" + query, null,
        "text/xml", body.getBytes(StandardCharsets.UTF_8));
      assertEquals(400, answer.status(), () -> body + " → " + answer);
      assertTrue(answer.contentType().startsWith("application/problem+json"), answer::toString);
    }
  }

  @Test
  @DisplayName("GET echoes echostr to a correct signature and refuses a wrong one with 403 and no echo")
  void serverVerification() {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, false);
    WeChatCallbacks callbacks = new WeChatCallbacks(app.token(), WeChatCallbacks.newAesKey(), app.appId());
    WeChatCallbacks.Delivery good = callbacks.verification(now(), "echo-67890");
    WeChatCallbacks.Delivery forged = new WeChatCallbacks("wrongtoken", WeChatCallbacks.newAesKey(), app.appId())
      .verification(now(), "echo-67890");

    Client.Response ok = client.get("/wechat/miniapp/callback/" + app.id() + "?" + good.query(), null);
    Client.Response refused = client.get("/wechat/miniapp/callback/" + app.id() + "?" + forged.query(), null);

    assertEquals(200, ok.status(), ok::toString);
    assertEquals("echo-67890", ok.text());
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("invalid-signature", refused.problemCode());
    assertFalse(refused.text().contains("echo-67890"));
  }

  @Test
  @DisplayName("a plain push under the signature of a server verification is not delivered (its timestamp and nonce are spent)")
  void verificationSignatureSpent() throws Exception {
    Miniapps.Miniapp app = Miniapps.register(client, admin, wechat, false);
    String traceId = imageCheck(app);
    FakeWeChatMiniapp.PushConfig config = configure(app, true, false);
    long now = now();
    String nonce = "n" + Client.unique();
    WeChatCallbacks.Delivery push = wechat.miniapp().delivery(app.appId(), config, event(traceId), now, nonce);
    Client.Response verified = client.get("/wechat/miniapp/callback/" + app.id() + "?" + push.query()
      + "&echostr=echo-1", null);

    FakeWeChatMiniapp.PushAnswer answer = wechat.miniapp().send(config, push);

    assertEquals(200, verified.status(), verified::toString);
    assertEquals("success", answer.body());
    assertTrue(verdicts(traceId).isEmpty());
  }

  private static JsonObject event(String traceId) {
    return FakeWeChatMiniapp.verdictEvent(wechat.miniapp().mediaCheck(traceId), "pass", 100);
  }

  /** Now as WeChat's timestamps count: seconds. */
  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
