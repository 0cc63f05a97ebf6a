package io.govmedia.citizen;

import io.govmedia.Main;
import io.govmedia.fakes.FakeWeChatMiniapp;
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
    Miniapps.Miniapp app = Miniapps.register(client, admin, TestServer.get().wechat(), false);
    appId = app.appId();
    accountId = app.id();
    // WeChat pushes the image verdicts of this mini-program to this instance, as plain JSON
    TestServer.get().wechat().miniapp().pushTo(appId, new FakeWeChatMiniapp.PushConfig("http://127.0.0.1:"
      + instance.port() + "/wechat/miniapp/callback/" + accountId, app.token(), null, true, false));
    TestServer.get().wechat().miniapp().risky(Screenings.RISKY, 20001).review(Screenings.REVIEW, 20006);
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
    return filed(who, message(content));
  }

  String filed(Citizen who, JsonObject body) {
    Client.Response sent = send(who, body);
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

  /** Polls until {@code value} satisfies {@code done}; fails with the last value after 20 seconds. */
  static <T> T eventually(java.util.function.Supplier<T> value, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    T last = value.get();
    while (last == null || !done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached in 20 s; last: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = value.get();
    }
    return last;
  }

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
