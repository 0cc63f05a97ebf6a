package io.govmedia.checks;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.govmedia.Main;
import io.govmedia.checks.CheckListStore.LinkDomain;
import io.govmedia.checks.CheckListStore.SensitiveWord;
import io.govmedia.checks.CheckListStore.WordingRule;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Redis;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Content checks")
class ContentChecksTest {

  private static final Instant NOW = Instant.parse("2026-01-31T08:00:00Z");

  static Client client;
  static String admin;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
  }

  static SensitiveWord sensitive(String word, Finding.Level level) {
    return new SensitiveWord(Ids.newId(), word, level, null, NOW, NOW, 1);
  }

  static WordingRule wording(String wrong, String right) {
    return new WordingRule(Ids.newId(), wrong, right, null, NOW, NOW, 1);
  }

  static ContentChecks.Snapshot snapshot(List<SensitiveWord> words, List<WordingRule> wordings, String... domains) {
    List<LinkDomain> allowed = new ArrayList<>();
    for (String domain : domains) {
      allowed.add(new LinkDomain(Ids.newId(), domain, null, NOW));
    }
    return ContentChecks.compile(new CheckListStore.Lists(words, wordings, allowed));
  }

  @Test
  @DisplayName("find sensitive words and wrong wordings in title and body, with positions into title and body text")
  void wordsAndWordings() {
    ContentChecks.Snapshot checks = snapshot(
      List.of(sensitive("翻墙", Finding.Level.BLOCK), sensitive("VPN", Finding.Level.WARN)),
      List.of(wording("中华人民共合国", "中华人民共和国"), wording("国务院总里", "国务院总理")));
    String title = "关于ＶＰＮ使用的说明";
    String body = "<h2>一、背景</h2><p>有人用<strong>Vpn</strong>翻墙。</p><p>中华人民共合国国务院总里指出</p>";
    String text = HtmlBodies.text(body);

    List<Finding> findings = checks.check(title, body);

    assertEquals(List.of(
      "title sensitive-word warn 2-5 ＶＰＮ null",
      "body sensitive-word warn 8-11 Vpn null",
      "body sensitive-word block 11-13 翻墙 null",
      "body wording block 15-22 中华人民共合国 中华人民共和国",
      "body wording block 22-27 国务院总里 国务院总理"), describe(findings));
    for (Finding f : findings) {
      String field = f.field().equals("title") ? title : text;
      assertEquals(f.text(), field.substring(f.start(), f.end()), f::toString);
    }
  }

  @Test
  @DisplayName("block unmasked ID numbers and mobiles but not masked ones")
  void personalData() {
    ContentChecks.Snapshot checks = snapshot(List.of(), List.of());
    String id = PersonalDataTest.idNumber("110105", "19491231", "002");

    List<Finding> findings = checks.check("来电13812345678",
      "<p>申请人身份证号" + id + "，已遮盖的 110105********002X 和 138****1234 不算。</p>");

    assertEquals(List.of("title mobile block 2-13 138****5678 请删除，或按规定遮盖为 138****5678",
      "body id-number block 7-25 110105********002X 请删除，或按规定遮盖为 110105********002X"), describe(findings));
    assertTrue(findings.stream().allMatch(Finding::blocks));
  }

  @Test
  @DisplayName("warn about links outside gov.cn and the allowed domains, placed on the link's text where it has one")
  void externalLinks() {
    ContentChecks.Snapshot checks = snapshot(List.of(), List.of(), "people.com.cn");
    String body = "<p><a href=\"https://www.gov.cn/zhengce/\">国务院政策</a>、<a href=\"http://Beijing.GOV.cn./x\">北京</a>、"
      + "<a href=\"https://www.people.com.cn/\">人民网</a>、<a href=\"/media/65b9e0c2a1f4c3d2e1f0a9b8\">附件</a>、"
      + "<a href=\"mailto:a@example.com\">来信</a>、<a href=\"https://ad.example.com/buy\">点此购买</a>、"
      + "<a href=\"https://gov.cn.evil.example/\">假冒</a>、<a href=\"https://gov.cn@evil.example/\">伪装</a>、"
      + "<a href=\"https://evilgov.cn/\">近似</a>、<a href=\"https://shop.example/\">https://shop.example/</a></p>"
      + "<img src=\"https://img.example/ad.png\"><p>访问 http://written.example/path。</p>";
    String text = HtmlBodies.text(body);

    List<Finding> findings = checks.check(null, body);

    List<String> placed = new ArrayList<>();
    for (Finding f : findings) {
      assertEquals("external-link", f.rule());
      assertEquals(Finding.Level.WARN, f.level());
      placed.add(f.text() + " @ " + (f.start() < 0 ? "-" : text.substring(f.start(), f.end())));
    }
    assertEquals(List.of("https://ad.example.com/buy @ 点此购买", "https://gov.cn.evil.example/ @ 假冒",
      "https://gov.cn@evil.example/ @ 伪装", "https://evilgov.cn/ @ 近似",
      "https://shop.example/ @ https://shop.example/", "http://written.example/path @ http://written.example/path",
      "https://img.example/ad.png @ -"), placed);
  }

  @Test
  @DisplayName("keep at most 100 findings per field, rule and level, the first ones in the text")
  void capped() {
    ContentChecks.Snapshot checks = snapshot(List.of(sensitive("词", Finding.Level.WARN),
      sensitive("禁", Finding.Level.BLOCK)), List.of());

    List<Finding> findings = checks.check("禁", "<p>" + "词".repeat(500) + "禁</p>");

    assertEquals(102, findings.size());
    assertEquals(99, findings.get(100).start());
    assertEquals("禁", findings.get(101).text());
  }

  @Test
  @DisplayName("run through the Java API inline for short texts and on the worker pool for long ones, with equal results")
  void javaApi() throws Exception {
    String tag = "zq" + Client.unique();
    client.post("/api/v1/sensitive-words", admin, new JsonObject().put("word", "长文" + tag).put("level", "block"));
    Vertx vertx = Vertx.vertx();
    MongoClient mongo = MongoClients.create(TestServer.get().mongoUri());
    Redis redis = Redis.connect(TestServer.get().redisUri());
    ContentChecks checks = new ContentChecks(vertx, new CheckListStore(mongo.getDatabase("govmedia_test")), redis);
    try {
      checks.start().await(10, TimeUnit.SECONDS);
      String shortBody = "<p>一段长文" + tag + "</p>";
      String longBody = "<p>" + "政务公开".repeat(1_000) + "长文" + tag + "</p>";

      List<Finding> inline = checks.check("标题", shortBody).await(10, TimeUnit.SECONDS);
      List<Finding> onWorker = checks.check("标题", longBody).await(10, TimeUnit.SECONDS);

      assertEquals(List.of("body sensitive-word block 2-" + (4 + tag.length()) + " 长文" + tag + " null"), describe(inline));
      assertEquals(List.of("body sensitive-word block 4000-" + (4002 + tag.length()) + " 长文" + tag + " null"),
        describe(onWorker));
    } finally {
      checks.close();
      redis.close();
      mongo.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("use a list change at once on the instance that made it, and on another instance within seconds")
  void changesPropagate() throws Exception {
    String tag = "zq" + Client.unique();
    String word = "传播" + tag;
    JsonObject draft = new JsonObject().put("title", "标题").put("body", "<p>这里有" + word + "。</p>");
    try (Main.Running other = TestServer.get().startAnother(Map.of())) {
      Client there = new Client(other.port());
      assertFalse(flagged(there, draft, word));

      String id = client.post("/api/v1/sensitive-words", admin, new JsonObject().put("word", word).put("level", "warn"))
        .json().getString("id");
      assertTrue(flagged(client, draft, word), "the instance that made the change uses it at once");
      long seen = waitUntil(() -> flagged(there, draft, word));

      assertEquals(204, there.raw("DELETE", "/api/v1/sensitive-words/" + id, admin, null, null).status());
      assertFalse(flagged(there, draft, word));
      long gone = waitUntil(() -> !flagged(client, draft, word));

      assertTrue(seen < 5_000 && gone < 5_000, "took " + seen + " and " + gone + " ms");
    }
  }

  @Test
  @DisplayName("check a draft over HTTP with its body sanitized first, positions into the text answered with it")
  void draftOverHttp() {
    String tag = "zq" + Client.unique();
    client.post("/api/v1/wording-rules", admin, new JsonObject().put("wrong", "国务院总里" + tag).put("right", "国务院总理" + tag));
    String body = "<p onclick=\"x()\">第一段</p><script>国务院总里" + tag + "</script><p>" + "政务".repeat(1_500)
      + "</p><p>国务院总里" + tag + "讲话</p>";

    Client.Response checked = client.post("/api/v1/content-checks", admin, new JsonObject().put("body", body));

    assertEquals(200, checked.status(), checked::toString);
    JsonObject finding = checked.json().getJsonArray("findings").getJsonObject(0);
    String text = checked.json().getString("bodyText");
    assertEquals(1, checked.json().getJsonArray("findings").size(), "the script's text is gone before checking");
    assertTrue(checked.json().getBoolean("blocked"));
    assertEquals("wording", finding.getString("rule"));
    assertEquals("国务院总理" + tag, finding.getString("hint"));
    assertEquals(finding.getString("text"), text.substring(finding.getInteger("start"), finding.getInteger("end")));
    assertEquals(3 + 1 + 3_000 + 1, finding.getInteger("start"));
    assertEquals(400, client.post("/api/v1/content-checks", admin, new JsonObject().put("body", 5)).status());
  }

  private static boolean flagged(Client on, JsonObject draft, String word) {
    Client.Response checked = on.post("/api/v1/content-checks", admin, draft);
    assertEquals(200, checked.status(), checked::toString);
    return checked.json().getJsonArray("findings").stream()
      .anyMatch(f -> word.equals(((JsonObject) f).getString("text")));
  }

  /** Milliseconds until the condition holds; fails after 8 s. */
  private static long waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long started = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(8)) {
        throw new AssertionError("not within 8 s");
      }
      Thread.sleep(100);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static List<String> describe(List<Finding> findings) {
    return findings.stream().map(f -> f.field() + " " + f.rule() + " " + f.level().wire() + " " + f.start() + "-"
      + f.end() + " " + f.text() + " " + f.hint()).toList();
  }
}
