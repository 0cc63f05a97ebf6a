package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the reply, rating and disclosure tests share: an instance on a clock the test moves, two departments with
 * their repliers, a dispatcher and two supervisors, and cases in department A — entered by phone or written by a
 * citizen in a WeChat official account's chat (the fake WeChat's side of the callback).
 */
final class Replying implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong MSG_IDS = new AtomicLong(System.nanoTime());

  final MovableClock clock = new MovableClock();
  final Main.Running instance;
  final Client client;
  final String admin;
  final String departmentA;
  final String departmentB;
  final Inbox.Member dispatcher;
  final Inbox.Member replierA;
  final Inbox.Member otherReplierA;
  final Inbox.Member replierB;
  final Inbox.Member supervisor;
  final Inbox.Member otherSupervisor;
  /** A replier of department A who heads it. */
  final Inbox.Member headA;
  private Mp mp;

  /** A WeChat official account in plain callback mode, known to the fake WeChat. */
  record Mp(String id, String appId, String originalId, WeChatCallbacks wechat) {
  }

  Replying() {
    instance = TestServer.get().startAnother(Map.of(), clock);
    client = new Client(instance.port());
    admin = client.adminToken();
    String city = client.department(admin, "市政府", null);
    departmentA = client.department(admin, "城管局", city);
    departmentB = client.department(admin, "住建局", city);
    dispatcher = Inbox.member(client, admin, List.of("dispatcher"), List.of(city));
    replierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    otherReplierA = Inbox.member(client, admin, List.of("replier"), List.of(departmentA));
    replierB = Inbox.member(client, admin, List.of("replier"), List.of(departmentB));
    supervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(city));
    otherSupervisor = Inbox.member(client, admin, List.of("supervisor"), List.of(city));
    headA = head(departmentA);
  }

  /** A replier who heads the department. */
  private Inbox.Member head(String departmentId) {
    String username = "h" + Client.unique();
    String password = "Head-Passw0rd-" + Client.unique();
    Client.Response created = client.post("/api/v1/staff", admin, new JsonObject().put("username", username)
      .put("displayName", "科长").put("password", password).put("roles", new io.vertx.core.json.JsonArray()
        .add("replier")).put("departmentIds", new io.vertx.core.json.JsonArray().add(departmentId))
      .put("headOf", new io.vertx.core.json.JsonArray().add(departmentId)));
    assertEquals(201, created.status(), created::toString);
    return new Inbox.Member(created.json().getString("id"), client.login(username, password));
  }

  /** The AppID of the official account the WeChat cases come from. */
  String appId() {
    return account().appId();
  }

  @Override
  public void close() {
    instance.close();
  }

  /** A phone case (contact 张三丰, 13812345678) sent to department A and claimed by replier A. */
  JsonObject phoneCase(String content, boolean consent) {
    Client.Response created = client.post("/api/v1/cases", dispatcher.token(),
      Inbox.phoneCase(content).put("consent", consent));
    assertEquals(201, created.status(), created::toString);
    return claimed(created.json().getString("id"));
  }

  JsonObject phoneCase() {
    return phoneCase("夜间施工噪音 " + Client.unique(), false);
  }

  /** A case of a citizen's WeChat message (its text starts with a unique mark), sent to department A and claimed. */
  JsonObject wechatCase() {
    Mp account = account();
    String text = "咨询" + Client.unique() + "：小区门口的路灯坏了一个月，什么时候修？";
    String openid = "o" + HexFormat.of().formatHex(bytes(12));
    long now = clock.instant().getEpochSecond();  // the callback is checked against the server's (moved) time
    WeChatCallbacks.Delivery delivery = account.wechat().plain(WeChatCallbacks.textMessage(account.originalId(), openid, now,
      MSG_IDS.incrementAndGet(), text), now);
    Client.Response answer = client.raw("POST", "/wechat/callback/" + account.id() + "?" + delivery.query(), null,
      "text/xml", delivery.body().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, answer.status(), answer::toString);
    Document stored = Inbox.eventually(() -> StoreAccess.first(StoreAccess.collection("cases").find(eq("content", text))),
      d -> d != null && d.getString("number") != null, Duration.ofSeconds(20));
    return claimed(stored.getString("_id"));
  }

  private JsonObject claimed(String caseId) {
    Inbox.acted(client, dispatcher.token(), caseId, "assign", new JsonObject().put("departmentId", departmentA));
    return Inbox.acted(client, replierA.token(), caseId, "claim", new JsonObject());
  }

  private synchronized Mp account() {
    if (mp == null) {
      String appId = "wx" + HexFormat.of().formatHex(bytes(8));
      String secret = HexFormat.of().formatHex(bytes(16));
      String token = "tok" + Client.unique();
      String aesKey = WeChatCallbacks.newAesKey();
      String originalId = "gh_" + HexFormat.of().formatHex(bytes(6));
      TestServer.get().wechat().app(appId, secret);
      JsonObject body = new JsonObject().put("type", "wechat_mp").put("name", "测试公众号" + Client.unique())
        .put("departmentId", departmentA).put("appId", appId).put("appSecret", secret).put("token", token)
        .put("aesKey", aesKey).put("originalId", originalId).put("kind", "service")
        .put("callbackMode", "plain");
      Client.Response created = client.post("/api/v1/accounts", admin, body);
      assertEquals(201, created.status(), created::toString);
      mp = new Mp(created.json().getString("id"), appId, originalId, new WeChatCallbacks(token, aesKey, appId));
    }
    return mp;
  }

  /**
   * A policy document of department A taken through review as staff would (an editor writes it, one reviewer per
   * configured stage approves it, the editor publishes it): answers its id.
   */
  String publishedDocument(String title) {
    String editor = client.staffToken(admin, List.of("editor"), List.of(departmentA), List.of());
    Client.Response created = client.post("/api/v1/documents", editor, new JsonObject().put("title", title)
      .put("docNumber", "测〔2026〕" + (100 + RANDOM.nextInt(900)) + "号").put("issuer", "市人民政府办公室")
      .put("departmentId", departmentA).put("category", "综合政务").put("body", "<p>为做好相关工作，制定本办法。</p>")
      .put("issuedAt", "2026-03-01T09:00:00+08:00"));
    assertEquals(201, created.status(), created::toString);
    String path = "/api/v1/documents/" + created.json().getString("id");
    int stages = created.json().getJsonObject("review").getJsonArray("stages").size();
    List<String> reviewers = java.util.stream.IntStream.range(0, stages)
      .mapToObj(i -> client.staffToken(admin, List.of("reviewer"), List.of(departmentA), List.of())).toList();
    ok(client.post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "历史文件补录")));
    ok(client.post(path + "/submit", editor, new JsonObject()));
    for (String reviewer : reviewers) {
      ok(client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve").put("comment", "同意")));
    }
    ok(client.post(path + "/publish", editor, new JsonObject()));
    return created.json().getString("id");
  }

  private static void ok(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
  }

  /** POST …/reply as {@code member}, with an Idempotency-Key when one is given. */
  Client.Response reply(Inbox.Member member, String caseId, JsonObject body, String key) {
    return client.raw("POST", "/api/v1/cases/" + caseId + "/reply", member.token(), "application/json",
      body.encode().getBytes(StandardCharsets.UTF_8), key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  /** A reply sent by replier A; answers the reply. */
  JsonObject replied(String caseId, String text) {
    Client.Response sent = reply(replierA, caseId, new JsonObject().put("text", text), null);
    assertEquals(201, sent.status(), sent::toString);
    return sent.json();
  }

  JsonObject read(String caseId) {
    return Inbox.read(client, admin, caseId);
  }

  static JsonObject lastStep(JsonObject c) {
    var history = c.getJsonArray("history");
    return history.getJsonObject(history.size() - 1);
  }

  static boolean hasStep(JsonObject c, String action) {
    return c.getJsonArray("history").stream().anyMatch(s -> action.equals(((JsonObject) s).getString("action")));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
