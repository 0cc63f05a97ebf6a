package io.govmedia.inbox;

import com.mongodb.client.model.Updates;
import io.govmedia.Main;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.citizen.Citizens;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WeChat chat messages become cases end to end: through the fake WeChat's signed callback, the hand-off, intake and
 * the acknowledgement; the 30-minute join and the 24-hour merge on an instance whose clock the test moves; and the
 * sweep that makes a case of a message its instance never handed over.
 */
@DisplayName("WeChat messages to cases")
class WeChatIntakeTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong MSG_IDS = new AtomicLong(System.nanoTime());
  private static final Duration SOON = Duration.ofSeconds(15);
  /** The sweep instance runs it every second; it takes messages pending for a minute. */
  private static final Duration SWEEP = Duration.ofSeconds(20);

  static Client shared;
  static String admin;
  static MovableClock clock;
  static Main.Running moved;
  static Client movedClient;

  /** An official account in plain mode, with WeChat's side of its keys. */
  record Mp(String id, String appId, String originalId, WeChatCallbacks wechat) {
  }

  @BeforeAll
  static void start() {
    shared = TestServer.get().client();
    admin = shared.adminToken();
    clock = new MovableClock();
    moved = TestServer.get().startAnother(Map.of(), clock);
    movedClient = new Client(moved.port());
  }

  @AfterAll
  static void stop() {
    if (moved != null) {
      moved.close();
    }
  }

  static Mp register() {
    String appId = "wx" + HexFormat.of().formatHex(bytes(8));
    String originalId = "gh_" + HexFormat.of().formatHex(bytes(6));
    String token = "tok" + Client.unique();
    String aesKey = WeChatCallbacks.newAesKey();
    String secret = HexFormat.of().formatHex(bytes(16));
    TestServer.get().wechat().app(appId, secret);  // the fake WeChat answers the account's API calls (user/info)
    JsonObject body = new JsonObject().put("type", "wechat_mp").put("name", "测试公众号" + Client.unique())
      .put("departmentId", shared.department(admin, "宣传科", null)).put("appId", appId)
      .put("appSecret", secret).put("token", token).put("aesKey", aesKey)
      .put("originalId", originalId).put("kind", "service").put("callbackMode", "plain");
    Client.Response created = shared.post("/api/v1/accounts", admin, body);
    assertEquals(201, created.status(), created::toString);
    return new Mp(created.json().getString("id"), appId, originalId, new WeChatCallbacks(token, aesKey, appId));
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Sends a message through {@code client}'s instance, stamped with that instance's time; answers its stored id. */
  static String send(Client client, Clock time, Mp mp, String openid, String xmlOrText) {
    long msgId = MSG_IDS.incrementAndGet();
    long now = time.instant().getEpochSecond();
    String xml = xmlOrText.startsWith("<xml>") ? xmlOrText.replace("MSGID", String.valueOf(msgId))
      : WeChatCallbacks.textMessage(mp.originalId(), openid, now, msgId, xmlOrText);
    WeChatCallbacks.Delivery delivery = mp.wechat().plain(xml, now);
    Client.Response answer = client.raw("POST", "/wechat/callback/" + mp.id() + "?" + delivery.query(), null,
      "text/xml", delivery.body().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, answer.status(), answer::toString);
    return mp.id() + ":msg:" + msgId;
  }

  static Document message(String id) {
    return StoreAccess.first(StoreAccess.collection("wechat_messages").find(eq("_id", id)));
  }

  /** The case the message was made into (or joined), once the inbox marked it. */
  static JsonObject caseOf(String messageId, Duration within) {
    Document done = Inbox.eventually(() -> message(messageId),
      m -> m != null && "case".equals(m.get("inbox", Document.class).getString("status")), within);
    return Inbox.read(shared, admin, done.get("inbox", Document.class).getString("caseId"));
  }

  @Test
  @DisplayName("a citizen's text becomes a numbered case waiting for dispatch, acknowledged, its message marked as handed over")
  void textToCase() {
    Mp mp = register();
    String openid = "oCitizen" + Client.unique();
    String messageId = send(shared, Clock.systemUTC(), mp, openid, "请问公积金怎么提取？");
    JsonObject c = caseOf(messageId, SOON);
    assertTrue(c.getString("number").matches("20\\d\\d-\\d{6}"), c::encode);
    assertEquals("wechat", c.getString("channel"));
    assertEquals(mp.id(), c.getString("accountId"));
    assertEquals(openid, c.getJsonObject("citizen").getString("openid"));
    assertEquals("dispatching", c.getString("status"));
    assertEquals("consultation", c.getString("category"));
    assertEquals("请问公积金怎么提取？", c.getJsonArray("messages").getJsonObject(0).getString("text"));
    assertEquals(1, c.getJsonArray("acknowledgements").size(), c::encode);
    assertTrue(actions(c).contains("acknowledged"), c::encode);
    assertTrue(Inbox.ids(shared, admin, "status=dispatching").contains(c.getString("id")));
  }

  @Test
  @DisplayName("a follower whose profile carries a unionid (the account is bound to the office's open platform) gets it on their chat case, so the mini-program finds the case too")
  void unionidFromTheProfile() throws Exception {
    Mp mp = register();
    String openid = "oCitizen" + Client.unique();
    String unionid = "uUnion" + Client.unique();
    TestServer.get().wechat().follower(mp.appId(), openid, new JsonObject().put("language", "zh_CN")
      .put("unionid", unionid));
    long now = Instant.now().getEpochSecond();
    WeChatCallbacks.Delivery subscribe = mp.wechat().plain(WeChatCallbacks.event(mp.originalId(), openid, now,
      "subscribe", null), now);
    assertEquals(200, shared.raw("POST", "/wechat/callback/" + mp.id() + "?" + subscribe.query(), null, "text/xml",
      subscribe.body().getBytes(StandardCharsets.UTF_8)).status());
    Inbox.eventually(() -> StoreAccess.first(StoreAccess.collection("wechat_followers")
        .find(eq("_id", mp.id() + ":" + openid))),
      f -> f != null && f.get("profile") instanceof Document profile && unionid.equals(profile.getString("unionid")),
      SOON);

    JsonObject c = caseOf(send(shared, Clock.systemUTC(), mp, openid, "请问社保卡补办要带什么材料？"), SOON);
    assertEquals(unionid, c.getJsonObject("citizen").getString("unionid"), c::encode);
    assertEquals(openid, c.getJsonObject("citizen").getString("openid"));

    // the same person signed in to the mini-program (another openid, the same unionid) follows the case there
    String token = Citizens.token(TestServer.get().running(), "0123456789abcdef01234567", "wx0123456789abcdef",
      "oMini" + Client.unique(), unionid);
    Client.Response mine = shared.get("/mp/v1/messages", token);
    assertEquals(200, mine.status(), mine::toString);
    assertTrue(mine.items().stream().anyMatch(i -> c.getString("id").equals(((JsonObject) i).getString("id"))),
      mine::toString);
  }

  @Test
  @DisplayName("a message that names its category (投诉：…) opens a complaint; an image carries its media id as attachment")
  void categoryAndImage() {
    Mp mp = register();
    String openid = "oCitizen" + Client.unique();
    JsonObject complaint = caseOf(send(shared, Clock.systemUTC(), mp, openid, "投诉：小区垃圾三天没人清运"), SOON);
    assertEquals("complaint", complaint.getString("category"));

    String image = "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><FromUserName><![CDATA[oImg"
      + Client.unique() + "]]></FromUserName><CreateTime>" + Instant.now().getEpochSecond()
      + "</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl>"
      + "<MediaId><![CDATA[media_abc123]]></MediaId><MsgId>MSGID</MsgId></xml>";
    JsonObject picture = caseOf(send(shared, Clock.systemUTC(), mp, null, image), SOON);
    assertEquals(new JsonArray().add("wechat-media:media_abc123"), picture.getJsonArray("attachments"));
    assertEquals("[图片]", picture.getJsonArray("messages").getJsonObject(0).getString("text"));
  }

  @Test
  @DisplayName("a second message within 30 minutes joins the open case; after 30 minutes it opens a new one")
  void joinWithinThirtyMinutes() {
    Mp mp = register();
    String openid = "oCitizen" + Client.unique();
    JsonObject first = caseOf(send(movedClient, clock, mp, openid, "路灯坏了"), SOON);
    clock.advance(Duration.ofMinutes(20));
    JsonObject joined = caseOf(send(movedClient, clock, mp, openid, "在幸福路和人民路路口"), SOON);
    assertEquals(first.getString("id"), joined.getString("id"));
    assertEquals(2, joined.getJsonArray("messages").size());
    assertTrue(actions(joined).contains("message"), joined::encode);

    clock.advance(Duration.ofMinutes(31));
    JsonObject later = caseOf(send(movedClient, clock, mp, openid, "还有一盏也不亮"), SOON);
    assertNotEquals(first.getString("id"), later.getString("id"));
    assertEquals(1, later.getJsonArray("messages").size());
  }

  @Test
  @DisplayName("the same text from the same citizen within 24 hours is merged (its number stays reserved); a day later it is a new case")
  void mergeWithinADay() {
    Mp mp = register();
    String openid = "oCitizen" + Client.unique();
    String text = "楼下餐馆油烟太大 " + Client.unique();
    JsonObject first = caseOf(send(movedClient, clock, mp, openid, text), SOON);
    clock.advance(Duration.ofHours(2));
    JsonObject merged = caseOf(send(movedClient, clock, mp, openid, text), SOON);
    assertEquals(first.getString("id"), merged.getString("id"));
    JsonObject step = last(merged, "merged");
    assertTrue(step.getString("note").contains("保留不用"), step::encode);
    String reserved = step.getString("note").replaceAll(".*编号 (\\S+) .*", "$1");
    assertNotEquals(first.getString("number"), reserved);

    clock.advance(Duration.ofHours(25));
    JsonObject fresh = caseOf(send(movedClient, clock, mp, openid, text), SOON);
    assertNotEquals(first.getString("id"), fresh.getString("id"));
    assertNotEquals(reserved, fresh.getString("number"), "a reserved number is never handed out");
  }

  @Test
  @DisplayName("a message its instance stored but never handed over is made a case by the sweep; a second sweep of it makes no second case")
  void sweep() {
    try (Main.Running sweeper = TestServer.get().startAnother(Map.of("GOVMEDIA_INBOX_SWEEP_SECONDS", "1"))) {
      sweptOnce(register());
    }
  }

  private void sweptOnce(Mp mp) {
    String openid = "oOrphan" + Client.unique();
    String id = mp.id() + ":msg:" + MSG_IDS.incrementAndGet();
    Date twoMinutesAgo = Date.from(Instant.now().minus(Duration.ofMinutes(2)));
    StoreAccess.first(StoreAccess.collection("wechat_messages").insertOne(new Document("_id", id)
      .append("accountId", mp.id()).append("msgType", "text").append("fromUser", openid)
      .append("createTime", twoMinutesAgo.getTime() / 1000).append("receivedAt", twoMinutesAgo)
      .append("citizenMessage", true).append("replied", false).append("content", "无人转交的留言")
      .append("inbox", new Document("status", "pending"))));
    JsonObject c = caseOf(id, SWEEP);
    assertEquals("无人转交的留言", c.getJsonArray("messages").getJsonObject(0).getString("text"));

    StoreAccess.first(StoreAccess.collection("wechat_messages").updateOne(eq("_id", id),
      Updates.set("inbox", new Document("status", "pending"))));
    JsonObject again = caseOf(id, SWEEP);
    assertEquals(c.getString("id"), again.getString("id"));
    assertEquals(1, StoreAccess.all(StoreAccess.collection("cases").find(eq("sourceId", "wechat:" + id))).size());
  }

  static java.util.List<String> actions(JsonObject c) {
    return c.getJsonArray("history").stream().map(s -> ((JsonObject) s).getString("action")).toList();
  }

  static JsonObject last(JsonObject c, String action) {
    JsonObject found = null;
    for (Object s : c.getJsonArray("history")) {
      if (action.equals(((JsonObject) s).getString("action"))) {
        found = (JsonObject) s;
      }
    }
    assertTrue(found != null, () -> "no " + action + " in " + c.encode());
    return found;
  }
}
