package io.govmedia.checks;

import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.regex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administrators' lists over HTTP. Every word here carries a unique Latin token, so that the shared server's
 * other tests never meet them in their own texts.
 */
@DisplayName("Managing the content-check lists over HTTP")
class CheckListRoutesTest {

  static Client client;
  static String admin;
  static String reviewer;
  static String editor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    reviewer = client.staffToken(admin, List.of("reviewer"), List.of(), List.of());
    editor = client.staffToken(admin, List.of("editor"), List.of(), List.of());
  }

  static String token() {
    return "zq" + Client.unique();
  }

  static JsonObject word(String word, String level) {
    return new JsonObject().put("word", word).put("level", level);
  }

  @Test
  @DisplayName("creates, reads, changes and deletes a sensitive word, each change audited")
  void sensitiveWordLifecycle() {
    String text = "违规" + token();
    Client.Response created = client.post("/api/v1/sensitive-words", admin, word(text, "warn").put("category", "政治"));
    String id = created.json().getString("id");
    String one = "/api/v1/sensitive-words/" + id;

    Client.Response patched = client.patch(one, admin, new JsonObject().put("level", "block"));
    Client.Response read = client.get(one, reviewer);
    Client.Response deleted = client.raw("DELETE", one, admin, null, null);

    assertEquals(201, created.status(), created::toString);
    assertTrue(id.matches("[0-9a-f]{24}"));
    assertEquals(Set.of("id", "word", "level", "category", "createdAt", "updatedAt"), created.json().fieldNames());
    assertEquals("warn", created.json().getString("level"));
    assertEquals("政治", created.json().getString("category"));
    assertEquals(200, patched.status(), patched::toString);
    assertEquals("block", patched.json().getString("level"));
    assertEquals("政治", patched.json().getString("category"));
    assertEquals(patched.json(), read.json());
    assertEquals(204, deleted.status(), deleted::toString);
    assertEquals(404, client.get(one, admin).status());
    assertEquals(404, client.raw("DELETE", one, admin, null, null).status());
    assertEquals(List.of("content.sensitive-word.create", "content.sensitive-word.update",
      "content.sensitive-word.delete"), auditActions(id));
    Document createdEntry = StoreAccess.first(StoreAccess.collection("audit_log").find(eq("targetId", id)));
    assertTrue(createdEntry.getString("after").contains(text), createdEntry::toJson);
  }

  @Test
  @DisplayName("lets reviewers read the lists, and refuses everyone else with 403")
  void access() {
    String id = client.post("/api/v1/sensitive-words", admin, word("读写" + token(), "block")).json().getString("id");
    String replier = client.staffToken(admin, List.of("replier"), List.of(), List.of());

    assertEquals(200, client.get("/api/v1/sensitive-words", reviewer).status());
    assertEquals(200, client.get("/api/v1/sensitive-words/" + id, reviewer).status());
    assertEquals(200, client.get("/api/v1/wording-rules", reviewer).status());
    assertEquals(200, client.get("/api/v1/link-domains", reviewer).status());
    for (String token : List.of(editor, replier)) {
      assertEquals(403, client.get("/api/v1/sensitive-words", token).status());
      assertEquals(403, client.get("/api/v1/sensitive-words/" + id, token).status());
      assertEquals(403, client.get("/api/v1/wording-rules", token).status());
      assertEquals(403, client.get("/api/v1/link-domains", token).status());
    }
    for (String token : List.of(reviewer, editor, replier)) {
      assertEquals(403, client.post("/api/v1/sensitive-words", token, word("越权" + token(), "block")).status());
      assertEquals(403, client.post("/api/v1/sensitive-words/import", token,
        new JsonObject().put("words", new JsonArray().add(word("越权" + token(), "block")))).status());
      assertEquals(403, client.patch("/api/v1/sensitive-words/" + id, token, new JsonObject().put("level", "warn")).status());
      assertEquals(403, client.raw("DELETE", "/api/v1/sensitive-words/" + id, token, null, null).status());
      assertEquals(403, client.post("/api/v1/wording-rules", token, new JsonObject().put("wrong", "甲" + token())
        .put("right", "乙")).status());
      assertEquals(403, client.post("/api/v1/link-domains", token, new JsonObject().put("domain", "x.example.org")).status());
    }
    assertEquals(403, client.post("/api/v1/content-checks", replier, new JsonObject().put("title", "标题")).status());
    assertEquals(200, client.post("/api/v1/content-checks", editor, new JsonObject().put("title", "标题")).status());
    assertEquals(401, client.get("/api/v1/sensitive-words", null).status());
  }

  @Test
  @DisplayName("refuses bad words with a 400 naming the field, and a word already listed in any width or case with 409")
  void badWords() {
    String base = "ＶＰＮ" + token().toUpperCase();
    client.post("/api/v1/sensitive-words", admin, word(base, "block"));

    assertRefused(word("", "block"), "word");
    assertRefused(word("   ", "block"), "word");
    assertRefused(word("\u200B\u200B", "block"), "word");
    assertRefused(word("长".repeat(51), "block"), "word");
    assertRefused(word("词" + token(), "BLOCK"), "level");
    assertRefused(word("词" + token(), "error"), "level");
    assertRefused(new JsonObject().put("word", "词" + token()), "level");
    assertRefused(new JsonObject().put("word", new JsonObject().put("$gt", "")).put("level", "block"), "word");
    assertRefused(word("词" + token(), "warn").put("category", List.of("a")), "category");
    Client.Response duplicate = client.post("/api/v1/sensitive-words", admin, word(base.toLowerCase(), "warn"));
    Client.Response fullWidth = client.post("/api/v1/sensitive-words", admin, word(toHalfWidth(base), "warn"));
    Client.Response notJson = client.raw("POST", "/api/v1/sensitive-words", admin, "text/plain", "词".getBytes());
    Client.Response patchWord = client.patch("/api/v1/sensitive-words/" + listed(base), admin,
      new JsonObject().put("word", "别的"));

    assertEquals(409, duplicate.status(), duplicate::toString);
    assertEquals("duplicate-sensitive-word", duplicate.problemCode());
    assertEquals(409, fullWidth.status(), fullWidth::toString);
    assertEquals(415, notJson.status());
    assertEquals(400, patchWord.status());
    assertEquals(50, client.post("/api/v1/sensitive-words", admin, word("长".repeat(48) + "zq", "warn")).json()
      .getString("word").length(), "50 characters are allowed");
  }

  @Test
  @DisplayName("lists words newest first, page by page, filtered by a part of the word in any width or case, and level")
  void listing() {
    String tag = token();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(client.post("/api/v1/sensitive-words", admin, word("列表" + i + tag, i % 2 == 0 ? "block" : "warn"))
        .json().getString("id"));
    }

    Client.Response page1 = client.get("/api/v1/sensitive-words?limit=2&q=" + tag.toUpperCase(), reviewer);
    Client.Response page2 = client.get("/api/v1/sensitive-words?limit=2&q=" + tag + "&cursor="
      + page1.json().getString("next"), reviewer);
    Client.Response page3 = client.get("/api/v1/sensitive-words?limit=2&q=" + tag + "&cursor="
      + page2.json().getString("next"), reviewer);
    Client.Response warnOnly = client.get("/api/v1/sensitive-words?level=warn&q=" + tag, reviewer);
    Client.Response regexChars = client.get("/api/v1/sensitive-words?q=.*", reviewer);

    assertEquals(List.of(ids.get(4), ids.get(3)), ids(page1));
    assertEquals(List.of(ids.get(2), ids.get(1)), ids(page2));
    assertEquals(List.of(ids.get(0)), ids(page3));
    assertNull(page3.json().getString("next"));
    assertEquals(List.of(ids.get(3), ids.get(1)), ids(warnOnly));
    assertEquals(200, regexChars.status(), "a query is text, not a pattern");
    assertEquals(0, regexChars.items().size());
    assertEquals(400, client.get("/api/v1/sensitive-words?level=fatal", reviewer).status());
    assertEquals(400, client.get("/api/v1/sensitive-words?cursor=zzz", reviewer).status());
  }

  @Test
  @DisplayName("imports 10,000 words in one call, skipping and naming those already listed or repeated")
  void importTenThousand() {
    String tag = token();
    String existing = "已有" + tag;
    client.post("/api/v1/sensitive-words", admin, word(existing, "block"));
    JsonArray words = new JsonArray();
    for (int i = 0; i < 9_998; i++) {
      words.add(word("批量" + i + tag, i % 3 == 0 ? "warn" : "block"));
    }
    words.add(word(existing, "warn")).add(word("批量0" + tag.toUpperCase(), "block"));

    Client.Response imported = client.post("/api/v1/sensitive-words/import", admin, new JsonObject().put("words", words));

    assertEquals(200, imported.status(), imported::toString);
    assertEquals(9_998, imported.json().getInteger("created"));
    assertEquals(List.of("批量0" + tag.toUpperCase(), existing), imported.json().getJsonArray("duplicates").getList());
    assertEquals(9_999, StoreAccess.all(StoreAccess.collection("content_sensitive_words").find(regex("key", tag))).size());
    Document audited = StoreAccess.first(StoreAccess.collection("audit_log")
      .find(eq("action", "content.sensitive-word.import")).sort(new Document("_id", -1)));
    JsonObject entry = new JsonObject(audited.getString("after"));
    assertEquals(9_998, entry.getInteger("created"));
    assertTrue(entry.getJsonArray("warn").contains("批量3" + tag));
    removeImported(tag);
  }

  @Test
  @DisplayName("refuses an import with any bad item, or over 10,000 items, and stores none of it")
  void badImports() {
    String tag = token();
    JsonArray words = new JsonArray().add(word("好词" + tag, "block")).add(word("", "block")).add("坏")
      .add(word("词" + tag, "fatal")).add(new JsonObject().put("word", new JsonObject().put("$ne", 1)).put("level", "warn"));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 10_000; i++) {
      tooMany.add(word(i + tag, "warn"));
    }

    Client.Response bad = client.post("/api/v1/sensitive-words/import", admin, new JsonObject().put("words", words));
    Client.Response over = client.post("/api/v1/sensitive-words/import", admin, new JsonObject().put("words", tooMany));
    Client.Response empty = client.post("/api/v1/sensitive-words/import", admin, new JsonObject().put("words", new JsonArray()));
    Client.Response notArray = client.post("/api/v1/sensitive-words/import", admin, new JsonObject().put("words", "好词"));

    assertEquals(400, bad.status(), bad::toString);
    assertEquals(List.of("words[1].word", "words[2]", "words[3].level", "words[4].word"), errorFields(bad));
    assertEquals(List.of("words"), errorFields(over));
    assertEquals(List.of("words"), errorFields(empty));
    assertEquals(List.of("words"), errorFields(notArray));
    assertEquals(0, StoreAccess.all(StoreAccess.collection("content_sensitive_words").find(regex("key", tag))).size());
  }

  @Test
  @DisplayName("creates, lists, changes and deletes wording rules, refusing a right form that contains the wrong one")
  void wordingRules() {
    String tag = token();
    Client.Response created = client.post("/api/v1/wording-rules", admin, new JsonObject()
      .put("wrong", "中华人民共合国" + tag).put("right", "中华人民共和国" + tag).put("note", "国名"));
    String id = created.json().getString("id");
    String one = "/api/v1/wording-rules/" + id;

    Client.Response duplicate = client.post("/api/v1/wording-rules", admin, new JsonObject()
      .put("wrong", "中华人民共合国" + tag.toUpperCase()).put("right", "别的"));
    Client.Response containing = client.post("/api/v1/wording-rules", admin, new JsonObject()
      .put("wrong", "国务院总理" + tag).put("right", "中华人民共和国国务院总理" + tag));
    Client.Response same = client.post("/api/v1/wording-rules", admin, new JsonObject()
      .put("wrong", "国务院" + tag).put("right", "国务院" + tag));
    Client.Response missing = client.post("/api/v1/wording-rules", admin, new JsonObject().put("wrong", "甲" + tag));
    Client.Response listed = client.get("/api/v1/wording-rules?q=" + "共和国" + tag, reviewer);
    Client.Response patched = client.patch(one, admin, new JsonObject().put("note", "国家名称"));
    Client.Response patchedBadly = client.patch(one, admin, new JsonObject().put("right", "中华人民共合国" + tag + "！"));
    Client.Response deleted = client.raw("DELETE", one, admin, null, null);

    assertEquals(201, created.status(), created::toString);
    assertEquals(Set.of("id", "wrong", "right", "note", "createdAt", "updatedAt"), created.json().fieldNames());
    assertEquals(409, duplicate.status(), duplicate::toString);
    assertEquals("duplicate-wording-rule", duplicate.problemCode());
    assertEquals(List.of("right"), errorFields(containing));
    assertEquals(List.of("right"), errorFields(same));
    assertEquals(List.of("right"), errorFields(missing));
    assertEquals(List.of(id), ids(listed), "found by its right form");
    assertEquals("国家名称", patched.json().getString("note"));
    assertEquals("中华人民共和国" + tag, patched.json().getString("right"));
    assertEquals(List.of("right"), errorFields(patchedBadly));
    assertEquals(204, deleted.status());
    assertEquals(List.of("content.wording-rule.create", "content.wording-rule.update", "content.wording-rule.delete"),
      auditActions(id));
  }

  @Test
  @DisplayName("adds allowed link domains in their lower-case ASCII form, refuses URLs and duplicates, lists the built-in gov.cn")
  void linkDomains() {
    String host = token() + ".People.com.cn";
    Client.Response created = client.post("/api/v1/link-domains", admin, new JsonObject().put("domain", host)
      .put("note", "人民网"));
    Client.Response idn = client.post("/api/v1/link-domains", admin, new JsonObject().put("domain", token() + ".中国"));
    Client.Response duplicate = client.post("/api/v1/link-domains", admin, new JsonObject().put("domain", host.toUpperCase()));
    Client.Response list = client.get("/api/v1/link-domains?q=" + host.substring(0, 14), reviewer);

    assertEquals(201, created.status(), created::toString);
    assertEquals(host.toLowerCase(), created.json().getString("domain"));
    assertTrue(idn.json().getString("domain").endsWith(".xn--fiqs8s"), idn::toString);
    assertEquals(409, duplicate.status());
    assertEquals(List.of(created.json().getString("id")), ids(list));
    assertEquals(List.of("gov.cn"), list.json().getJsonArray("builtIn").getList());
    for (String bad : List.of("https://www.example.com", "www.example.com/path", "example.com:8080", "localhost",
      "10.0.0.1", "-bad-.com", "a..b.com", "")) {
      assertRefused("/api/v1/link-domains", new JsonObject().put("domain", bad), "domain");
    }
    String id = created.json().getString("id");
    assertEquals(204, client.raw("DELETE", "/api/v1/link-domains/" + id, admin, null, null).status());
    assertEquals(List.of("content.link-domain.create", "content.link-domain.delete"), auditActions(id));
  }

  @Test
  @DisplayName("reviewers read single wording rules and link domains; unknown ids are 404 naming the list; a link domain cannot be changed")
  void readingAndUnknownEntries() {
    String rule = client.post("/api/v1/wording-rules", admin, new JsonObject().put("wrong", "錯字" + token())
      .put("right", "正字")).json().getString("id");
    String domain = client.post("/api/v1/link-domains", admin, new JsonObject().put("domain", token() + ".example.org"))
      .json().getString("id");
    String unknown = "0123456789abcdef01234567";

    Client.Response readRule = client.get("/api/v1/wording-rules/" + rule, reviewer);
    Client.Response readDomain = client.get("/api/v1/link-domains/" + domain, reviewer);
    Client.Response patchDomain = client.patch("/api/v1/link-domains/" + domain, admin, new JsonObject().put("note", "改"));

    assertEquals(200, readRule.status(), readRule::toString);
    assertEquals("正字", readRule.json().getString("right"));
    assertEquals(200, readDomain.status(), readDomain::toString);
    assertEquals(405, patchDomain.status(), patchDomain::toString);
    assertEquals("method-not-allowed", patchDomain.problemCode());
    for (String[] list : new String[][] {{"sensitive-words", "未找到敏感词"}, {"wording-rules", "未找到表述规则"},
      {"link-domains", "未找到允许的域名"}}) {
      Client.Response missing = client.get("/api/v1/" + list[0] + "/" + unknown, admin);
      Client.Response deleteMissing = client.raw("DELETE", "/api/v1/" + list[0] + "/" + unknown, admin, null, null);
      assertEquals(404, missing.status(), missing::toString);
      assertEquals(list[1], missing.json().getString("title"));
      assertEquals(404, deleteMissing.status(), deleteMissing::toString);
    }
    assertEquals(List.of("content.wording-rule.create"), auditActions(rule));
    Document audited = StoreAccess.first(StoreAccess.collection("audit_log").find(eq("targetId", domain)));
    assertEquals("content_link_domain", audited.getString("targetType"));
  }

  private static void assertRefused(JsonObject body, String field) {
    assertRefused("/api/v1/sensitive-words", body, field);
  }

  private static void assertRefused(String path, JsonObject body, String field) {
    Client.Response response = client.post(path, admin, body);
    assertEquals(400, response.status(), () -> body.encode() + " → " + response);
    assertTrue(errorFields(response).contains(field), () -> body.encode() + " → " + response);
  }

  static List<String> errorFields(Client.Response response) {
    assertEquals("invalid-body", response.problemCode(), response::toString);
    List<String> fields = new ArrayList<>();
    response.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  private static List<String> ids(Client.Response page) {
    assertEquals(200, page.status(), page::toString);
    List<String> ids = new ArrayList<>();
    page.items().forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  private static String listed(String word) {
    return StoreAccess.first(StoreAccess.collection("content_sensitive_words").find(eq("word", word))).getString("_id");
  }

  private static List<String> auditActions(String targetId) {
    return StoreAccess.all(StoreAccess.collection("audit_log").find(eq("targetId", targetId)).sort(new Document("_id", 1)))
      .stream().map(d -> d.getString("action")).toList();
  }

  /** Removes an import's words straight from the store, then has the server rebuild through a change. */
  private static void removeImported(String tag) {
    StoreAccess.first(StoreAccess.collection("content_sensitive_words").deleteMany(regex("key", tag)));
    String id = client.post("/api/v1/sensitive-words", admin, word("清理" + token(), "warn")).json().getString("id");
    assertEquals(204, client.raw("DELETE", "/api/v1/sensitive-words/" + id, admin, null, null).status());
  }

  private static String toHalfWidth(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append((char) (c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c)));
    assertFalse(out.toString().equals(text));
    return out.toString();
  }
}
