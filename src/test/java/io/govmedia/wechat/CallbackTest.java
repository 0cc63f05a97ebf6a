package io.govmedia.wechat;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.govmedia.Main;
import io.govmedia.fakes.WeChatCallbacks;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The WeChat callback")
class CallbackTest {

  static final SecureRandom RANDOM = new SecureRandom();
  static final String ACK = "您的留言已收到";
  static final AtomicLong MSG_IDS = new AtomicLong(System.nanoTime());

  static Client client;
  static String admin;

  /** An official account registered on a server, with WeChat's side of its keys. */
  record Mp(String id, String appId, String originalId, WeChatCallbacks wechat) {}

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  /** An account in plain mode: WeChat sends it unencrypted deliveries (and the server takes encrypted ones too). */
  static Mp register(Client client, String admin) {
    return register(client, admin, "plain");
  }

  static Mp register(Client client, String admin, String callbackMode) {
    String appId = "wx" + HexFormat.of().formatHex(bytes(8));
    String originalId = "gh_" + HexFormat.of().formatHex(bytes(6));
    String token = "tok" + Client.unique();
    String aesKey = WeChatCallbacks.newAesKey();
    JsonObject body = new JsonObject().put("type", "wechat_mp").put("name", "测试公众号" + Client.unique())
      .put("departmentId", client.department(admin, "宣传科", null)).put("appId", appId)
      .put("appSecret", HexFormat.of().formatHex(bytes(16))).put("token", token).put("aesKey", aesKey)
      .put("originalId", originalId).put("kind", "service").put("callbackMode", callbackMode);
    Client.Response created = client.post("/api/v1/accounts", admin, body);
    assertEquals(201, created.status(), created::toString);
    return new Mp(created.json().getString("id"), appId, originalId, new WeChatCallbacks(token, aesKey, appId));
  }

  static Client.Response deliver(Client client, Mp mp, WeChatCallbacks.Delivery delivery) {
    return client.raw("POST", "/wechat/callback/" + mp.id() + "?" + delivery.query(), null, "text/xml",
      delivery.body().getBytes(StandardCharsets.UTF_8));
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static long msgId() {
    return MSG_IDS.incrementAndGet();
  }

  static List<Document> stored(Mp mp) {
    return StoreAccess.all(StoreAccess.collection(MessageStore.COLLECTION).find(eq("accountId", mp.id())));
  }

  static long storedWithMsgId(Mp mp, long msgId) {
    return stored(mp).stream().filter(d -> Long.valueOf(msgId).equals(d.getLong("msgId"))).count();
  }

  @Test
  @DisplayName("GET echoes echostr to a correct signature and refuses a wrong one with 401 and no echo")
  void serverVerification() {
    Mp mp = register(client, admin);
    WeChatCallbacks.Delivery good = mp.wechat().verification(now(), "echo-12345");
    Client.Response ok = client.get("/wechat/callback/" + mp.id() + "?" + good.query(), null);
    assertEquals(200, ok.status());
    assertEquals("echo-12345", ok.text());

    WeChatCallbacks.Delivery forged = new WeChatCallbacks("not-the-token", WeChatCallbacks.newAesKey(), mp.appId())
      .verification(now(), "echo-12345");
    Client.Response refused = client.get("/wechat/callback/" + mp.id() + "?" + forged.query(), null);
    assertEquals(401, refused.status());
    assertFalse(refused.text().contains("echo-12345"));
  }

  @Test
  @DisplayName("a plain-mode text message is stored with its fields, answered 'success', and listed for staff")
  void plainText() {
    Mp mp = register(client, admin);
    long id = msgId();
    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen001", now(), id, "请问公积金怎么提取？");
    Client.Response answer = deliver(client, mp, mp.wechat().plain(xml, now()));
    assertEquals(200, answer.status(), answer::toString);
    assertTrue(answer.text().contains("<ToUserName><![CDATA[oCitizen001]]></ToUserName>"), answer::text);
    assertTrue(answer.text().contains(ACK), "an unmatched text is acknowledged: " + answer.text());

    JsonObject item = client.get("/api/v1/wechat/" + mp.id() + "/messages", admin).items().getJsonObject(0);
    assertEquals(String.valueOf(id), item.getString("msgId"), "msgId travels as a string: 64-bit ids");
    assertEquals("text", item.getString("msgType"));
    assertNull(item.getString("event"));
    assertEquals("oCitizen001", item.getString("fromUser"));
    assertEquals("请问公积金怎么提取？", item.getString("content"));
    assertTrue(item.getString("receivedAt").endsWith("+08:00"), item.encode());
  }

  @Test
  @DisplayName("staff page through an account's messages newest first, without repeats; a forged cursor is a 400")
  void messagePaging() {
    Mp mp = register(client, admin);
    List<Long> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long id = msgId();
      sent.add(0, id);
      deliver(client, mp, mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen012", now(), id, "第" + i + "条"), now()));
    }
    List<Long> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Client.Response page = client.get("/api/v1/wechat/" + mp.id() + "/messages?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
      assertEquals(200, page.status(), page::toString);
      page.items().forEach(item -> seen.add(Long.parseLong(((JsonObject) item).getString("msgId"))));
      cursor = page.json().getString("next");
    } while (cursor != null);
    assertEquals(sent, seen);
    assertEquals("invalid-cursor", client.get("/api/v1/wechat/" + mp.id() + "/messages?cursor=Zm9vYmFy", admin).problemCode());
  }

  @Test
  @DisplayName("safe mode is decrypted, and compatible mode trusts the encrypted copy over the plain one")
  void safeAndCompatibleModes() {
    Mp mp = register(client, admin, "safe");
    long safeId = msgId();
    String safe = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen002", now(), safeId, "安全模式留言");
    String reply = mp.wechat().openReply(deliver(client, mp, mp.wechat().encrypted(safe, now(), false)).text());
    assertTrue(reply.contains(ACK), "the passive reply is encrypted for the account: " + reply);

    Mp compatibleMp = register(client, admin, "compatible");
    long compatibleId = msgId();
    String real = WeChatCallbacks.textMessage(compatibleMp.originalId(), "oCitizen002", now(), compatibleId, "加密内容");
    WeChatCallbacks.Delivery compatible = compatibleMp.wechat().encrypted(real, now(), true);
    String tampered = compatible.body().replace("<Content><![CDATA[加密内容]]></Content>", "<Content><![CDATA[明文内容]]></Content>");
    assertEquals(200, deliver(client, compatibleMp, new WeChatCallbacks.Delivery(compatible.query(), tampered)).status());

    assertEquals("安全模式留言", stored(mp).get(0).getString("content"));
    assertEquals("加密内容", stored(compatibleMp).get(0).getString("content"));
  }

  @ParameterizedTest(name = "{0} mode")
  @ValueSource(strings = {"safe", "compatible"})
  @DisplayName("an unencrypted delivery to an account in safe or compatible mode is refused with 403, even correctly signed, and nothing is stored")
  void plainRefusedWhereWeChatEncrypts(String mode) {
    Mp mp = register(client, admin, mode);
    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen018", now(), msgId(), "明文推送");
    assertProblem(403, "encryption-required", deliver(client, mp, mp.wechat().plain(xml, now())));

    // A compatible-mode delivery stripped of encrypt_type still carries a valid plain signature: refused too.
    WeChatCallbacks.Delivery compatible = mp.wechat().encrypted(xml, now(), true);
    String stripped = compatible.query().replace("&encrypt_type=aes", "");
    assertProblem(403, "encryption-required", deliver(client, mp, new WeChatCallbacks.Delivery(stripped, compatible.body())));
    assertEquals(List.of(), stored(mp));

    assertEquals(200, deliver(client, mp, compatible).status(), "the encrypted delivery itself is taken");
    assertEquals(1, stored(mp).size());
  }

  @ParameterizedTest(name = "{0} mode")
  @ValueSource(strings = {"plain", "compatible", "safe"})
  @DisplayName("the URL check (GET with echostr) stays plain and answers in every mode")
  void urlCheckInEveryMode(String mode) {
    Mp mp = register(client, admin, mode);
    Client.Response ok = client.get("/wechat/callback/" + mp.id() + "?" + mp.wechat().verification(now(), "echo-" + mode).query(), null);
    assertEquals(200, ok.status(), ok::toString);
    assertEquals("echo-" + mode, ok.text());
  }

  @Test
  @DisplayName("a signed plain URL replayed with another body within the window is refused and nothing of it stored; the same body again is an ordinary repeat")
  void plainReplayWithAnotherBody() {
    Mp mp = register(client, admin);
    long id = msgId();
    WeChatCallbacks.Delivery original = mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen019",
      now(), id, "原始留言"), now());
    Client.Response first = deliver(client, mp, original);
    assertEquals(200, first.status(), first::toString);

    Client.Response again = deliver(client, mp, original);
    assertEquals(200, again.status(), again::toString);
    assertEquals(first.text(), again.text(), "the same body gets the same answer");

    long forgedId = msgId();
    String forged = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen019", now(), forgedId, "伪造内容");
    assertProblem(403, "callback-replayed", deliver(client, mp, new WeChatCallbacks.Delivery(original.query(), forged)));
    String sameIdOtherText = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen019", now(), id, "篡改内容");
    assertProblem(403, "callback-replayed", deliver(client, mp, new WeChatCallbacks.Delivery(original.query(), sameIdOtherText)));
    String upperCase = original.query().replace(param(original.query(), "signature"),
      param(original.query(), "signature").toUpperCase(java.util.Locale.ROOT));
    assertProblem(403, "callback-replayed", deliver(client, mp, new WeChatCallbacks.Delivery(upperCase, forged)));

    List<Document> docs = stored(mp);
    assertEquals(1, docs.size(), "stored once, and nothing of the replays");
    assertEquals("原始留言", docs.get(0).getString("content"));
  }

  @Test
  @DisplayName("the URL of an encrypted delivery to an account that takes plain ones cannot be replayed without encrypt_type to carry another body")
  void encryptedUrlReplayedAsPlain() {
    Mp mp = register(client, admin);
    WeChatCallbacks.Delivery encrypted = mp.wechat().encrypted(WeChatCallbacks.textMessage(mp.originalId(),
      "oCitizen020", now(), msgId(), "加密留言"), now(), false);
    assertEquals(200, deliver(client, mp, encrypted).status());

    String asPlain = encrypted.query().replace("&encrypt_type=aes", "");
    String forged = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen020", now(), msgId(), "伪造的明文");
    assertProblem(403, "callback-replayed", deliver(client, mp, new WeChatCallbacks.Delivery(asPlain, forged)));
    assertEquals(List.of("加密留言"), stored(mp).stream().map(d -> d.getString("content")).toList());
  }

  @Test
  @DisplayName("the signature of a URL check cannot carry a message: a POST under it is refused and nothing stored, while the check itself may repeat")
  void urlCheckSignatureCarriesNoMessage() {
    Mp mp = register(client, admin);
    WeChatCallbacks.Delivery check = mp.wechat().verification(now(), "echo-check");
    assertEquals("echo-check", client.get("/wechat/callback/" + mp.id() + "?" + check.query(), null).text());

    String signed = check.query().replace("&echostr=echo-check", "");
    String forged = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen022", now(), msgId(), "借验证签名伪造的留言");
    assertProblem(403, "callback-replayed", deliver(client, mp, new WeChatCallbacks.Delivery(signed, forged)));
    assertEquals(List.of(), stored(mp));

    Client.Response again = client.get("/wechat/callback/" + mp.id() + "?" + check.query(), null);
    assertEquals(200, again.status(), again::toString);
    assertEquals("echo-check", again.text());
  }

  @Test
  @DisplayName("a body that is not UTF-8 is refused with 400 invalid-encoding and nothing is stored, rather than stored as replacement characters")
  void notUtf8() {
    Mp mp = register(client, admin);
    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen023", now(), msgId(), "国标编码的留言");
    WeChatCallbacks.Delivery signed = mp.wechat().plain(xml, now());
    Client.Response refused = client.raw("POST", "/wechat/callback/" + mp.id() + "?" + signed.query(), null, "text/xml",
      xml.getBytes(java.nio.charset.Charset.forName("GBK")));
    assertProblem(400, "invalid-encoding", refused);
    assertEquals(List.of(), stored(mp));
  }

  @Test
  @DisplayName("an account stored before callback modes shows callbackModeUnset and takes plain deliveries as before, until an admin sets its mode")
  void accountWithoutMode() {
    MovableClock clock = new MovableClock();
    try (Main.Running server = TestServer.get().startAnother(Map.of(), clock)) {
      Client own = new Client(server.port());
      String ownAdmin = own.adminToken();
      Mp mp = register(own, ownAdmin);
      StoreAccess.first(StoreAccess.collection("accounts").updateOne(eq("_id", mp.id()), Updates.unset("callbackMode")));
      JsonObject legacy = own.get("/api/v1/accounts/" + mp.id(), ownAdmin).json();
      assertTrue(legacy.getBoolean("callbackModeUnset"), legacy::encode);
      assertNull(legacy.getString("callbackMode"));

      String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen021", now(), msgId(), "旧账号的明文留言");
      assertEquals(200, deliver(own, mp, mp.wechat().plain(xml, now())).status());

      Client.Response set = own.patch("/api/v1/accounts/" + mp.id(), ownAdmin, new JsonObject().put("callbackMode", "safe"));
      assertEquals(200, set.status(), set::toString);
      assertFalse(set.json().getBoolean("callbackModeUnset"));
      clock.advance(CallbackAccounts.TTL.plusSeconds(1));
      String later = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen021", now(), msgId(), "设置后的明文留言");
      assertProblem(403, "encryption-required", deliver(own, mp, mp.wechat().plain(later, now())));
      assertEquals(1, stored(mp).size());
    }
  }

  @Test
  @DisplayName("wrong signature, stale timestamp, wrong AppID, wrong ToUserName, XXE, truncated and oversized bodies are refused with nothing stored")
  void refusals() {
    Mp mp = register(client, admin);
    WeChatCallbacks forger = new WeChatCallbacks("forged-token", WeChatCallbacks.newAesKey(), mp.appId());

    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen003", now(), msgId(), "正常内容");
    assertProblem(401, "invalid-signature", deliver(client, mp, forger.plain(xml, now())));
    assertProblem(401, "stale-timestamp", deliver(client, mp, mp.wechat().plain(xml, now() - 301)));
    assertProblem(401, "stale-timestamp", deliver(client, mp, mp.wechat().plain(xml, now() + 400)));

    WeChatCallbacks.Delivery safe = mp.wechat().encrypted(xml, now(), false);
    String otherApp = mp.wechat().encrypt(xml, "wx0000000000000bad");
    String envelope = "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><Encrypt><![CDATA[" + otherApp + "]]></Encrypt></xml>";
    String query = safe.query().replaceAll("msg_signature=[0-9a-f]+", "msg_signature="
      + WeChatCallbacks.sha1(mp.wechat().token(), param(safe.query(), "timestamp"), param(safe.query(), "nonce"), otherApp));
    assertProblem(400, "undecryptable", deliver(client, mp, new WeChatCallbacks.Delivery(query, envelope)));
    assertProblem(401, "invalid-signature", deliver(client, mp,
      new WeChatCallbacks.Delivery(safe.query().replaceAll("msg_signature=[0-9a-f]+", "msg_signature=00"), safe.body())));
    // msg_signature covers the Encrypt field: a captured safe-mode URL cannot carry another encrypted body.
    String swapped = mp.wechat().encrypted(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen003", now(), msgId(),
      "换掉的密文"), now(), false).body();
    assertProblem(401, "invalid-signature", deliver(client, mp, new WeChatCallbacks.Delivery(safe.query(), swapped)));

    String otherAccount = WeChatCallbacks.textMessage("gh_000000000000", "oCitizen003", now(), msgId(), "发错号了");
    assertProblem(400, "wrong-account", deliver(client, mp, mp.wechat().plain(otherAccount, now())));

    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      + "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><FromUserName>oX</FromUserName>"
      + "<CreateTime>" + now() + "</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>";
    assertProblem(400, "invalid-xml", deliver(client, mp, mp.wechat().plain(xxe, now())));
    assertProblem(400, "invalid-xml", deliver(client, mp, mp.wechat().plain(xml.substring(0, xml.length() / 2), now())));
    assertProblem(400, "invalid-message", deliver(client, mp, mp.wechat().plain("<xml><MsgType>text</MsgType></xml>", now())));

    String huge = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen003", now(), msgId(), "长".repeat(30_000));
    Client.Response tooBig = deliver(client, mp, mp.wechat().plain(huge, now()));
    assertEquals(413, tooBig.status());

    assertEquals(List.of(), stored(mp), "nothing refused was stored");
    assertEquals(404, deliver(client, new Mp("0123456789abcdef01234567", mp.appId(), mp.originalId(), mp.wechat()),
      mp.wechat().plain(xml, now())).status());
  }

  @Test
  @DisplayName("a repeated MsgId, even delivered concurrently, is stored once and every delivery gets the same answer")
  void repeatsStoredOnce() throws Exception {
    Mp mp = register(client, admin);
    long id = msgId();
    WeChatCallbacks.Delivery delivery = mp.wechat().plain(
      WeChatCallbacks.textMessage(mp.originalId(), "oCitizen004", now(), id, "重复推送"), now());
    List<CompletableFuture<Client.Response>> sends = IntStream.range(0, 8)
      .mapToObj(i -> CompletableFuture.supplyAsync(() -> deliver(client, mp, delivery))).toList();
    java.util.Set<String> answers = new java.util.HashSet<>();
    for (CompletableFuture<Client.Response> send : sends) {
      Client.Response response = send.get(20, TimeUnit.SECONDS);
      assertEquals(200, response.status(), response::toString);
      answers.add(response.text());
    }
    answers.add(deliver(client, mp, delivery).text());
    assertEquals(1, answers.size(), "every delivery got the same answer: " + answers);
    assertTrue(answers.iterator().next().contains(ACK));
    assertEquals(1, storedWithMsgId(mp, id));
  }

  @Test
  @DisplayName("a keyword hit is answered with the rule's passive reply, encrypted in safe mode, and is not a citizen message")
  void keywordReply() {
    Mp mp = register(client, admin);
    Client.Response rule = client.post("/api/v1/accounts/" + mp.id() + "/auto-replies", admin, new JsonObject()
      .put("match", "exact").put("keyword", "办事指南")
      .put("reply", new JsonObject().put("type", "text").put("content", "请访问政务服务网查看办事指南。")));
    assertEquals(201, rule.status(), rule::toString);
    long id = msgId();
    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen009", now(), id, "办事指南");
    String reply = mp.wechat().openReply(deliver(client, mp, mp.wechat().encrypted(xml, now(), false)).text());
    assertTrue(reply.contains("请访问政务服务网查看办事指南。"), reply);
    assertTrue(reply.contains("<ToUserName><![CDATA[oCitizen009]]></ToUserName>"), reply);
    assertTrue(reply.contains("<FromUserName><![CDATA[" + mp.originalId() + "]]></FromUserName>"), reply);

    Document stored = stored(mp).get(0);
    assertFalse(stored.getBoolean("citizenMessage"), "a keyword hit is answered, not handed to the inbox");
    assertNull(stored.get("inbox"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "image      | <PicUrl><![CDATA[https://mmbiz.qpic.cn/x.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId> | ",
    "voice      | <MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我要投诉噪音]]></Recognition> | 我要投诉噪音",
    "video      | <MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId> | ",
    "shortvideo | <MediaId><![CDATA[m4]]></MediaId><ThumbMediaId><![CDATA[t4]]></ThumbMediaId> | ",
    "location   | <Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[天河区政务服务中心]]></Label> | 天河区政务服务中心",
    "link       | <Title><![CDATA[小区占道经营]]></Title><Description><![CDATA[见链接]]></Description><Url><![CDATA[https://example.org/a]]></Url> | 小区占道经营"})
  @DisplayName("every citizen message type is stored with its fields and handed to the inbox")
  void messageTypes(String msgType, String fields, String content) {
    Mp mp = register(client, admin);
    long id = msgId();
    String xml = "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><FromUserName><![CDATA[oCitizen010]]>"
      + "</FromUserName><CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[" + msgType + "]]></MsgType>" + fields
      + "<MsgId>" + id + "</MsgId></xml>";
    assertEquals(200, deliver(client, mp, mp.wechat().plain(xml, now())).status());
    Document stored = stored(mp).get(0);
    assertEquals(msgType, stored.getString("msgType"));
    assertEquals(id, stored.getLong("msgId"));
    assertEquals(content, stored.getString("content"));
    assertTrue(stored.getBoolean("citizenMessage"));
    assertEquals("pending", stored.get("inbox", Document.class).getString("status"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SCAN,qrscene_42", "CLICK,MENU_POLICY", "VIEW,https://www.gov.cn/", "LOCATION,",
    "MASSSENDJOBFINISH,", "TEMPLATESENDJOBFINISH,", "unsubscribe,"})
  @DisplayName("every event is stored once with its key, is no citizen message, and a repeat (same user, time, event, key) is not")
  void eventTypes(String event, String eventKey) {
    Mp mp = register(client, admin);
    WeChatCallbacks.Delivery delivery = mp.wechat().plain(WeChatCallbacks.event(mp.originalId(), "oCitizen011", now(),
      event, eventKey), now());
    assertEquals("success", deliver(client, mp, delivery).text());
    assertEquals("success", deliver(client, mp, delivery).text());
    List<Document> docs = stored(mp);
    assertEquals(1, docs.size());
    assertEquals(event, docs.get(0).getString("event"));
    assertEquals(eventKey, docs.get(0).getString("eventKey"));
    assertFalse(docs.get(0).getBoolean("citizenMessage"));
  }

  @Test
  @DisplayName("events are stored with their raw fields, PUBLISHJOBFINISH's PublishEventInfo included, and are not citizen messages")
  void events() {
    Mp mp = register(client, admin);
    String subscribe = WeChatCallbacks.event(mp.originalId(), "oCitizen005", now(), "subscribe", "qrscene_policy2026");
    assertEquals("success", deliver(client, mp, mp.wechat().encrypted(subscribe, now(), false)).text());
    String publish = "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><FromUserName><![CDATA[oSystem]]></FromUserName>"
      + "<CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>"
      + "<PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status>"
      + "<article_id><![CDATA[b5O2OUs25HBxRceL7hfReg]]></article_id><article_detail><count>1</count>"
      + "<item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/x]]></article_url></item></article_detail>"
      + "</PublishEventInfo></xml>";
    assertEquals("success", deliver(client, mp, mp.wechat().plain(publish, now())).text());

    List<Document> docs = stored(mp);
    Document sub = docs.stream().filter(d -> "subscribe".equals(d.getString("event"))).findFirst().orElseThrow();
    assertNull(sub.get("msgId"));
    assertEquals("qrscene_policy2026", sub.getString("eventKey"));
    JsonObject follower = client.get("/api/v1/accounts/" + mp.id() + "/followers", admin).items().stream()
      .map(JsonObject.class::cast).filter(f -> "oCitizen005".equals(f.getString("openid"))).findFirst().orElseThrow();
    assertTrue(follower.getBoolean("subscribed"), "the subscribe event made a follower");
    assertFalse(sub.getBoolean("citizenMessage"));
    assertNull(sub.get("inbox"), "events are not handed to the inbox");
    Document job = docs.stream().filter(d -> "PUBLISHJOBFINISH".equals(d.getString("event"))).findFirst().orElseThrow();
    assertTrue(job.getString("raw").contains("<publish_id>2247503051</publish_id>"), "the XML is kept as sent");
    Document info = job.get("publishEventInfo", Document.class);
    assertEquals("2247503051", info.getString("publish_id"));
    assertEquals("https://mp.weixin.qq.com/s/x",
      info.get("article_detail", Document.class).get("item", Document.class).getString("article_url"));
  }

  @Test
  @DisplayName("a citizen message is handed to the inbox: a pending record and an event-bus message naming it")
  void inboxHandOff() throws Exception {
    Mp mp = register(client, admin);
    List<JsonObject> handed = new CopyOnWriteArrayList<>();
    var consumer = TestServer.get().running().vertx().eventBus()
      .<JsonObject>consumer(CallbackIntake.INBOX_ADDRESS, message -> handed.add(message.body()));
    consumer.completion().await(5, TimeUnit.SECONDS);
    try {
      long id = msgId();
      deliver(client, mp, mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen006", now(), id,
        "路灯坏了，请派人修理"), now()));
      Document doc = stored(mp).get(0);
      assertEquals("pending", doc.get("inbox", Document.class).getString("status"));
      JsonObject message = awaitHandOff(handed, doc.getString("_id"));
      assertEquals(mp.id(), message.getString("accountId"));
      assertEquals("wechat_mp", message.getString("channel"));
    } finally {
      consumer.unregister();
    }
  }

  @Test
  @DisplayName("a repeat after Redis forgot the claim is answered but neither stored nor handed to the inbox again")
  void repeatAfterRedisForgot() throws Exception {
    Mp mp = register(client, admin);
    List<JsonObject> handed = new CopyOnWriteArrayList<>();
    var consumer = TestServer.get().running().vertx().eventBus()
      .<JsonObject>consumer(CallbackIntake.INBOX_ADDRESS, message -> handed.add(message.body()));
    consumer.completion().await(5, TimeUnit.SECONDS);
    try {
      long id = msgId();
      WeChatCallbacks.Delivery delivery = mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen013",
        now(), id, "井盖缺失"), now());
      assertEquals(200, deliver(client, mp, delivery).status());
      var redis = io.lettuce.core.RedisClient.create(TestServer.get().redisUri());
      try (var connection = redis.connect()) {
        assertEquals(1L, connection.sync().del("govmedia:wechat:dedup:" + mp.id() + ":msg:" + id));
      } finally {
        redis.shutdown();
      }
      assertEquals(200, deliver(client, mp, delivery).status());
      // The bus queues each hand-off on the consumer's event loop when it is published, in order; so once the
      // hand-off of a later message has arrived, one of the repeat (published before its answer) would have too.
      long later = msgId();
      assertEquals(200, deliver(client, mp, mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(),
        "oCitizen013", now(), later, "另一处井盖"), now())).status());
      String laterId = stored(mp).stream().filter(d -> d.getLong("msgId") == later).findFirst().orElseThrow().getString("_id");
      awaitHandOff(handed, laterId);
      assertEquals(1, storedWithMsgId(mp, id));
      assertEquals(2, handed.stream().filter(m -> mp.id().equals(m.getString("accountId"))).count(),
        "the first delivery and the later message, not the repeat");
    } finally {
      consumer.unregister();
    }
  }

  @Test
  @DisplayName("a claim left behind by a delivery that never finished does not block WeChat's retry")
  void abandonedClaim() {
    Mp mp = register(client, admin);
    long id = msgId();
    var redis = io.lettuce.core.RedisClient.create(TestServer.get().redisUri());
    try (var connection = redis.connect()) {
      connection.sync().set("govmedia:wechat:dedup:" + mp.id() + ":msg:" + id, "pending");
    } finally {
      redis.shutdown();
    }
    Client.Response retried = deliver(client, mp, mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(),
      "oCitizen014", now(), id, "路灯不亮"), now()));
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(1, storedWithMsgId(mp, id));
  }

  @Test
  @DisplayName("two job results for one citizen in the same second are two events, told apart by their MsgID")
  void jobResultsInOneSecond() {
    Mp mp = register(client, admin);
    long second = now();
    for (String job : List.of("1000001", "1000002")) {
      String xml = "<xml><ToUserName><![CDATA[" + mp.originalId() + "]]></ToUserName><FromUserName><![CDATA[oCitizen015]]>"
        + "</FromUserName><CreateTime>" + second + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>" + job + "</MsgID><Status><![CDATA[success]]></Status></xml>";
      assertEquals(200, deliver(client, mp, mp.wechat().plain(xml, now())).status());
    }
    assertEquals(2, stored(mp).size());
  }

  @Test
  @DisplayName("a MsgId beyond 64 bits is a 400 problem, not a server error")
  void hugeMsgId() {
    Mp mp = register(client, admin);
    String xml = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen016", now(), 1, "x")
      .replace("<MsgId>1</MsgId>", "<MsgId>9999999999999999999</MsgId>");
    assertProblem(400, "invalid-message", deliver(client, mp, mp.wechat().plain(xml, now())));
  }

  @Test
  @DisplayName("with Redis down, callbacks are still stored once and answered: Redis is the fast path, the store the guarantee")
  void redisDown() {
    io.govmedia.platform.EmbeddedRedis redis = io.govmedia.platform.EmbeddedRedis.start();
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_REDIS_URI", redis.uri()))) {
      Client own = new Client(server.port());
      Mp mp = register(own, own.adminToken());
      redis.close();
      long id = msgId();
      WeChatCallbacks.Delivery delivery = mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen017",
        now(), id, "Redis 停了也要收到"), now());
      assertEquals(200, deliver(own, mp, delivery).status());
      assertEquals(200, deliver(own, mp, delivery).status());
      assertEquals(1, storedWithMsgId(mp, id));
      String forged = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen017", now(), msgId(), "伪造");
      assertProblem(403, "callback-replayed", deliver(own, mp, new WeChatCallbacks.Delivery(delivery.query(), forged)),
        "the instance that took the original remembers it without Redis");
      assertEquals(1, stored(mp).size());
    } finally {
      redis.close();
    }
  }

  @Test
  @DisplayName("when storing fails the answer is 5xx and the claim released, so WeChat's retry is stored")
  void storeFailureThenRetry() {
    String database = "govmedia_fail_" + Client.unique();
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_MONGO_DATABASE", database))) {
      Client own = new Client(server.port());
      Mp mp = register(own, own.adminToken());
      var messages = StoreAccess.collection(database, MessageStore.COLLECTION);
      // A second message from the same citizen now breaks a unique index: a real write failure in the store.
      StoreAccess.first(messages.createIndex(Indexes.ascending("fromUser"), new IndexOptions().unique(true).name("break")));
      assertEquals(200, deliver(own, mp, mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(),
        "oCitizen007", now(), msgId(), "第一条"), now())).status());

      long id = msgId();
      WeChatCallbacks.Delivery second = mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen007",
        now(), id, "第二条"), now());
      Client.Response failed = deliver(own, mp, second);
      assertTrue(failed.status() >= 500, failed::toString);

      StoreAccess.first(messages.dropIndex("break"));
      Client.Response retried = deliver(own, mp, second);
      assertEquals(200, retried.status(), retried::toString);
      assertEquals(1, StoreAccess.all(messages.find(eq("msgId", id))).size());
    }
  }

  @Test
  @DisplayName("two server instances on the same stores never process a repeated message twice")
  void twoInstances() throws Exception {
    Mp mp = register(client, admin);
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client second = new Client(other.port());
      for (int round = 0; round < 5; round++) {
        long id = msgId();
        WeChatCallbacks.Delivery delivery = mp.wechat().encrypted(WeChatCallbacks.textMessage(mp.originalId(),
          "oCitizen008", now(), id, "第" + round + "次"), now(), false);
        var a = CompletableFuture.supplyAsync(() -> deliver(client, mp, delivery));
        var b = CompletableFuture.supplyAsync(() -> deliver(second, mp, delivery));
        assertEquals(200, a.get(20, TimeUnit.SECONDS).status());
        assertEquals(200, b.get(20, TimeUnit.SECONDS).status());
        assertEquals(1, storedWithMsgId(mp, id), "round " + round);
      }
      WeChatCallbacks.Delivery plain = mp.wechat().plain(WeChatCallbacks.textMessage(mp.originalId(), "oCitizen008",
        now(), msgId(), "明文"), now());
      assertEquals(200, deliver(client, mp, plain).status());
      String forged = WeChatCallbacks.textMessage(mp.originalId(), "oCitizen008", now(), msgId(), "换到另一实例的伪造");
      assertProblem(403, "callback-replayed", deliver(second, mp, new WeChatCallbacks.Delivery(plain.query(), forged)));
    }
  }

  static void assertProblem(int status, String code, Client.Response response) {
    assertProblem(status, code, response, "");
  }

  static void assertProblem(int status, String code, Client.Response response, String why) {
    assertEquals(status, response.status(), () -> why + " " + response);
    assertEquals(code, response.problemCode(), why);
    assertNotEquals("success", response.text());
  }

  /** Waits for the inbox hand-off naming the stored message: a positive signal, so no time limit proves anything. */
  static JsonObject awaitHandOff(List<JsonObject> handed, String messageId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      var found = handed.stream().filter(m -> messageId.equals(m.getString("messageId"))).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no inbox hand-off of " + messageId);
  }


  static String param(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + query);
  }

  static byte[] bytes(int n) {
    byte[] out = new byte[n];
    RANDOM.nextBytes(out);
    return out;
  }
}
