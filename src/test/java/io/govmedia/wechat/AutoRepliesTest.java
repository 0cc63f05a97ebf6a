package io.govmedia.wechat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.platform.Ids;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.govmedia.wechat.AutoReplies.Match;
import io.govmedia.wechat.AutoReplyRule.MatchType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matcher on a database of its own, called from event loops the way the callback calls it. */
@DisplayName("Choosing the auto-reply for a message")
class AutoRepliesTest {

  private static final String ACK = AutoReplyStore.Settings.DEFAULT.ackText();
  private static final AtomicLong MSG_IDS = new AtomicLong(24_000_000_000_000_000L);

  static Vertx vertx;
  static MongoClient mongo;
  static AutoReplyStore store;
  static Context loop;

  String account;
  AutoReplies replies;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    mongo = MongoClients.create(TestServer.get().mongoUri());
    store = new AutoReplyStore(mongo.getDatabase("auto_replies_" + Client.unique()));
    store.createIndexes().await(10, TimeUnit.SECONDS);
    loop = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void freshAccount() {
    account = Ids.newId();
    replies = new AutoReplies(store, Clock.systemUTC());
  }

  @Test
  @DisplayName("the rule with the lowest priority number answers; on a tie, the older rule")
  void priorityOrder() throws Exception {
    rule(MatchType.CONTAINS, "社保", 50, "五十");
    AutoReplyRule ten = rule(MatchType.CONTAINS, "社保", 10, "十");
    rule(MatchType.CONTAINS, "社保卡", 10, "也是十，但更晚");

    Match match = match(text("社保卡怎么补办"));

    assertEquals(ten.id(), match.ruleId());
    assertEquals("十", content(match));
    assertTrue(match.keywordHit());
  }

  @Test
  @DisplayName("exact needs the whole message, contains any part of it, regex a match anywhere")
  void matchTypes() throws Exception {
    rule(MatchType.EXACT, "办事指南", 1, "exact");
    rule(MatchType.CONTAINS, "公积金", 2, "contains");
    rule(MatchType.REGEX, "^1[3-9]\\d{9}$", 3, "regex");

    assertEquals("exact", content(match(text("  办事指南\n"))));
    assertEquals(ACK, content(match(text("办事指南在哪"))));
    assertEquals("contains", content(match(text("请问公积金怎么提取？"))));
    assertEquals("regex", content(match(text("13812345678"))));
    assertEquals(ACK, content(match(text("电话 13812345678"))));
  }

  @Test
  @DisplayName("Latin letters match in either case; regexes match as written unless they ask otherwise")
  void caseHandling() throws Exception {
    rule(MatchType.EXACT, "WiFi", 1, "exact");
    rule(MatchType.CONTAINS, "etc", 2, "contains");
    rule(MatchType.REGEX, "^HELP$", 3, "regex");
    rule(MatchType.REGEX, "(?i)^menu$", 4, "regex-i");

    assertEquals("exact", content(match(text("wifi"))));
    assertEquals("exact", content(match(text("WIFI"))));
    assertEquals("contains", content(match(text("ETC卡怎么办理"))));
    assertEquals("regex", content(match(text("HELP"))));
    assertEquals(ACK, content(match(text("help"))));
    assertEquals("regex-i", content(match(text("Menu"))));
    assertEquals(ACK, content(match(text("ＷＩＦＩ"))), "full-width letters are other characters");
  }

  @Test
  @DisplayName("a new follower gets the subscribe greeting, which is not a keyword hit")
  void subscribeGreeting() throws Exception {
    AutoReplyRule greeting = store.insert(rule(MatchType.SUBSCRIBE, null, 100, new PassiveReplies.Image("WELCOME_img"),
      true)).await(5, TimeUnit.SECONDS);

    Match subscribed = match(event("subscribe", "qrscene_1001"));
    Match unsubscribed = match(event("unsubscribe", null));
    Match clicked = match(event("CLICK", "MENU_GUIDE"));

    assertEquals(new PassiveReplies.Image("WELCOME_img"), subscribed.reply());
    assertEquals(greeting.id(), subscribed.ruleId());
    assertFalse(subscribed.keywordHit());
    assertSame(Match.NONE, unsubscribed);
    assertSame(Match.NONE, clicked);
  }

  @Test
  @DisplayName("text that matches no keyword gets the acknowledgement and stays a citizen message")
  void acknowledgement() throws Exception {
    rule(MatchType.EXACT, "你好", 1, "您好！");

    Match unmatched = match(text("我家门口的路灯坏了三天了"));

    assertEquals(ACK, content(unmatched));
    assertFalse(unmatched.keywordHit());
    assertNull(unmatched.ruleId());
  }

  @Test
  @DisplayName("the acknowledgement can be changed or switched off")
  void acknowledgementSettings() throws Exception {
    store.saveSettings(account, new AutoReplyStore.Settings("已收到，工作日内回复。", true, Instant.now()))
      .await(5, TimeUnit.SECONDS);
    assertEquals("已收到，工作日内回复。", content(match(text("路灯坏了"))));

    store.saveSettings(account, new AutoReplyStore.Settings("已收到，工作日内回复。", false, Instant.now()))
      .await(5, TimeUnit.SECONDS);
    replies.invalidate(account);
    assertSame(Match.NONE, match(text("路灯坏了")));

    rule(MatchType.DEFAULT, null, 100, "默认回复");
    replies.invalidate(account);
    Match fallback = match(text("路灯坏了"));
    assertEquals("默认回复", content(fallback), "with the acknowledgement off, text falls back to the default reply");
    assertFalse(fallback.keywordHit());
  }

  @Test
  @DisplayName("images, voice, locations and links get the default reply when there is one, else none")
  void defaultForOtherMessages() throws Exception {
    assertSame(Match.NONE, match(message("image", null)));

    AutoReplyRule fallback = rule(MatchType.DEFAULT, null, 100, "图片已收到");
    replies.invalidate(account);
    for (String type : List.of("image", "voice", "video", "shortvideo", "location", "link")) {
      Match match = match(message(type, "杭州市西湖区"));
      assertEquals("图片已收到", content(match), type);
      assertEquals(fallback.id(), match.ruleId(), type);
      assertFalse(match.keywordHit(), type);
    }
    assertEquals(ACK, content(match(text("随便说点什么"))), "text gets the acknowledgement, not the default");
  }

  @Test
  @DisplayName("disabled rules are skipped")
  void disabledIgnored() throws Exception {
    store.insert(rule(MatchType.CONTAINS, "社保", 1, new PassiveReplies.Text("停用的"), false)).await(5, TimeUnit.SECONDS);
    store.insert(rule(MatchType.SUBSCRIBE, null, 1, new PassiveReplies.Text("停用的欢迎语"), false))
      .await(5, TimeUnit.SECONDS);
    store.insert(rule(MatchType.DEFAULT, null, 1, new PassiveReplies.Text("停用的默认回复"), false))
      .await(5, TimeUnit.SECONDS);
    rule(MatchType.CONTAINS, "社保", 2, "启用的");

    assertEquals("启用的", content(match(text("社保查询"))));
    assertSame(Match.NONE, match(event("subscribe", null)));
    assertSame(Match.NONE, match(message("image", null)));
  }

  @Test
  @DisplayName("a regex that backtracks without end gives up within its budget and the next rule answers")
  void catastrophicRegex() throws Exception {
    // Passes the nested-quantifier check, yet is polynomial of degree 9 on a run of "a"s.
    String slow = "a*a*a*a*a*a*a*a*b";
    assertNull(AutoReplies.regexProblem(slow));
    rule(MatchType.REGEX, slow, 1, "never");
    rule(MatchType.REGEX, "(a|aa)+$", 2, "also fine");
    rule(MatchType.CONTAINS, "aaa", 3, "contains");
    String attack = "a".repeat(2000) + "!";

    long started = System.nanoTime();
    Match match = match(text(attack));
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertEquals("contains", content(match));
    assertTrue(millis < 1000, "took " + millis + " ms");
  }

  @Test
  @DisplayName("refuses regexes that cannot compile, are too long, use back-references or nest repetition")
  void unsafeRegexRefused() {
    assertNotNull(AutoReplies.regexProblem("(办事"));
    assertTrue(AutoReplies.regexProblem("[a-").startsWith("正则表达式语法错误"));
    assertNotNull(AutoReplies.regexProblem("a".repeat(201)));
    for (String nested : List.of("(a+)+", "(a*)*b", "(\\w+\\s?)*$", "((ab)*c)+", "(.*a){12}", "(?:x+y?){2,}",
      "(a{2,})*", "([a-z]+)*")) {
      assertNotNull(AutoReplies.regexProblem(nested), nested);
    }
    assertNotNull(AutoReplies.regexProblem("(a)\\1"));
    for (String fine : List.of("^1[3-9]\\d{9}$", "(社保|医保)卡", "(?i)^(help|帮助)$", "[(+*)]+", "\\Q(a+)+\\E",
      "(ab){3}c+", "a{2,5}", "[]a]+", "(\\d{4})-(\\d{2})")) {
      assertNull(AutoReplies.regexProblem(fine), fine);
    }
  }

  @Test
  @DisplayName("rules are cached: a write on this instance shows at once, one on another instance within the TTL")
  void cacheInvalidation() throws Exception {
    MovableClock clock = new MovableClock();
    // A long TTL, so that the real time this test takes can never reach it; the clock is moved instead.
    Duration ttl = Duration.ofHours(1);
    AutoReplies otherInstance = new AutoReplies(store, clock, ttl);
    assertEquals(ACK, content(match(text("营业时间"))));
    assertEquals(ACK, content(match(otherInstance, text("营业时间"))));

    rule(MatchType.CONTAINS, "营业时间", 1, "工作日 9:00-17:00");

    assertEquals(ACK, content(match(text("营业时间"))), "still the cached rules");
    replies.invalidate(account);
    assertEquals("工作日 9:00-17:00", content(match(text("营业时间"))), "invalidated by the write");
    clock.advance(ttl.minusMinutes(1));
    assertEquals(ACK, content(match(otherInstance, text("营业时间"))), "still cached a minute before the TTL");
    clock.advance(Duration.ofMinutes(2));
    assertEquals("工作日 9:00-17:00", content(match(otherInstance, text("营业时间"))), "expired after the TTL");
  }

  @Test
  @DisplayName("many event loops asking at once all get the right answer, each on its own loop")
  void concurrentCallers() throws Exception {
    rule(MatchType.CONTAINS, "天气", 1, "晴");
    List<Future<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Context own = vertx.getOrCreateContext();
      for (int j = 0; j < 50; j++) {
        Promise<Boolean> answered = Promise.promise();
        own.runOnContext(v -> replies.match(account, text("今天天气")).onComplete(result ->
          answered.complete(result.succeeded() && Vertx.currentContext() == own && "晴".equals(content(result.result())))));
        answers.add(answered.future());
      }
    }

    Future.all(answers).await(10, TimeUnit.SECONDS);

    assertTrue(answers.stream().allMatch(Future::result));
  }

  @Test
  @DisplayName("when the rules cannot be read, the message is answered without a reply")
  void storeDown() throws Exception {
    MongoClient nowhere = MongoClients.create(MongoClientSettings.builder()
      .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + TestServer.freePort()))
      .applyToClusterSettings(b -> b.serverSelectionTimeout(200, TimeUnit.MILLISECONDS)).build());
    try {
      AutoReplies unreachable = new AutoReplies(new AutoReplyStore(nowhere.getDatabase("x")), Clock.systemUTC());
      assertSame(Match.NONE, match(unreachable, text("你好")));
    } finally {
      nowhere.close();
    }
  }

  // Helpers

  private Match match(InboundMessage message) throws Exception {
    return match(replies, message);
  }

  private Match match(AutoReplies matcher, InboundMessage message) throws Exception {
    Promise<Match> answered = Promise.promise();
    loop.runOnContext(v -> matcher.match(account, message).onComplete(answered));
    return answered.future().await(5, TimeUnit.SECONDS);
  }

  private AutoReplyRule rule(MatchType match, String keyword, int priority, String reply) throws Exception {
    return store.insert(rule(match, keyword, priority, new PassiveReplies.Text(reply), true)).await(5, TimeUnit.SECONDS);
  }

  private AutoReplyRule rule(MatchType match, String keyword, int priority, PassiveReplies.Stored reply, boolean enabled) {
    Instant now = Instant.now();
    return new AutoReplyRule(Ids.newId(), account, match, keyword, priority, enabled, reply, now, now, 1);
  }

  private static String content(Match match) {
    return match.reply() instanceof PassiveReplies.Text text ? text.content() : String.valueOf(match.reply());
  }

  private static InboundMessage text(String content) {
    return message("text", content);
  }

  private static InboundMessage message(String type, String content) {
    return new InboundMessage("gh_0123456789ab", "oCitizen", Instant.now().getEpochSecond(), type, null, null,
      MSG_IDS.incrementAndGet(), content, new Document(), "");
  }

  private static InboundMessage event(String event, String key) {
    return new InboundMessage("gh_0123456789ab", "oCitizen", Instant.now().getEpochSecond(), "event", event, key,
      null, null, new Document(), "");
  }
}
