package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the mini-program message tests share: one instance on a clock the tests move (trusting X-Forwarded-For, so
 * that a test can write from an address of its own), a mini-program account known to the fake WeChat, a
 * department with a replier, a dispatcher and a supervisor, and citizens signed in to the mini-program.
 */
final class MiniappDesk {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static MiniappDesk shared;

  final MovableClock clock = new MovableClock();
  final Main.Running instance;
  final Client client;
  final String admin;
  final String department;
  final String dispatcher;
  final String replier;
  final String supervisor;
  final String accountId;
  final String appId;

  /** A citizen signed in to the mini-program: their token and who they are to WeChat. */
  record Citizen(String token, String openid, String unionid) {
  }

  private MiniappDesk() {
    instance = TestServer.get().startAnother(Map.of("GOVMEDIA_HTTP_TRUST_FORWARDED_FOR", "true"), clock);
    Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
    client = new Client(instance.port());
    admin = client.adminToken();
    department = client.department(admin, "城管局", null);
    dispatcher = client.staffToken(admin, List.of("dispatcher"), List.of(department), List.of());
    replier = client.staffToken(admin, List.of("replier"), List.of(department), List.of());
    supervisor = client.staffToken(admin, List.of("supervisor"), List.of(department), List.of());
    appId = "wx" + hex(8);
    String secret = hex(16);
    TestServer.get().wechat().app(appId, secret);
    Client.Response account = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_miniapp")
      .put("name", "市民服务小程序" + Client.unique()).put("departmentId", department).put("appId", appId)
      .put("appSecret", secret));
    assertEquals(201, account.status(), account::toString);
    accountId = account.json().getString("id");
  }

  static synchronized MiniappDesk get() {
    if (shared == null) {
      shared = new MiniappDesk();
    }
    return shared;
  }

  /** A new citizen of this mini-program, with a unionid. */
  Citizen citizen() {
    return citizen("u" + hex(12));
  }

  Citizen citizen(String unionid) {
    return citizenOf(accountId, appId, unionid);
  }

  Citizen citizenOf(String account, String app, String unionid) {
    String openid = "o" + hex(12);
    try {
      return new Citizen(Citizens.token(instance, account, app, openid, unionid), openid, unionid);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The same citizen signed in again (a session lasts 7 days). */
  Citizen signedInAgain(Citizen who) {
    try {
      return new Citizen(Citizens.token(instance, accountId, appId, who.openid(), who.unionid()), who.openid(),
        who.unionid());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonObject message(String content) {
    return new JsonObject().put("category", "complaint").put("content", content).put("consentToPublish", true);
  }

  Client.Response send(Citizen who, JsonObject body) {
    return send(who, body, null, "10.0.0.1");
  }

  /** POST /mp/v1/messages with an Idempotency-Key when one is given, from {@code address}. */
  Client.Response send(Citizen who, JsonObject body, String key, String address) {
    return post(who, "/mp/v1/messages", body, key, address);
  }

  Client.Response post(Citizen who, String path, JsonObject body, String key, String address) {
    Map<String, String> headers = key == null ? Map.of("X-Forwarded-For", address)
      : Map.of("X-Forwarded-For", address, "Idempotency-Key", key);
    return client.raw("POST", path, who.token(), "application/json", body.encode().getBytes(StandardCharsets.UTF_8),
      headers);
  }

  /** A message filed: answers its id. */
  String filed(Citizen who, String content) {
    Client.Response sent = send(who, message(content));
    assertEquals(201, sent.status(), sent::toString);
    return sent.json().getString("id");
  }

  JsonObject staffView(String caseId) {
    Client.Response read = client.get("/api/v1/cases/" + caseId, admin);
    assertEquals(200, read.status(), read::toString);
    return read.json();
  }

  JsonObject citizenView(Citizen who, String caseId) {
    Client.Response read = client.get("/mp/v1/messages/" + caseId, who.token());
    assertEquals(200, read.status(), read::toString);
    return read.json();
  }

  Client.Response act(String token, String caseId, String action, JsonObject body) {
    return client.post("/api/v1/cases/" + caseId + "/" + action, token, body);
  }

  /** The case sent to the department, claimed and answered by its replier. */
  void answered(String caseId, String text) {
    ok(act(dispatcher, caseId, "assign", new JsonObject().put("departmentId", department)));
    ok(act(replier, caseId, "claim", new JsonObject()));
    Client.Response sent = client.post("/api/v1/cases/" + caseId + "/reply", replier, new JsonObject().put("text", text));
    assertEquals(201, sent.status(), sent::toString);
  }

  static void ok(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
  }

  static boolean hasStep(JsonObject staffCase, String action) {
    JsonArray history = staffCase.getJsonArray("history");
    return history.stream().anyMatch(s -> action.equals(((JsonObject) s).getString("action")));
  }

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
