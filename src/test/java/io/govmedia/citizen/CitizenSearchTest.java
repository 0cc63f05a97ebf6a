package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code GET /mp/v1/search} and {@code GET /mp/v1/documents/expired} as a citizen on the mini-program uses them. */
@DisplayName("Citizens search published content and read the list of expired documents")
class CitizenSearchTest {

  static Client client;
  static String admin;
  static String department;
  static String editor;
  static List<String> reviewers;
  static String citizen;

  @BeforeAll
  static void start() throws Exception {
    TestServer server = TestServer.get();
    client = server.client();
    admin = client.adminToken();
    department = client.department(admin, "人社局", null);
    editor = staff("editor");
    reviewers = List.of(staff("reviewer"), staff("reviewer"), staff("reviewer"));
    citizen = Citizens.token(server.running(), "miniapp-account", "wx-citizen-app", "openid-" + Client.unique(), null);
  }

  static String staff(String role) {
    return client.staffToken(admin, List.of(role), List.of(department), List.of());
  }

  static String document(String title, String body, JsonObject extra) {
    JsonObject json = new JsonObject().put("title", title).put("docNumber", "人社〔2026〕" + Client.unique() + "号")
      .put("issuer", "市人力资源和社会保障局").put("departmentId", department).put("category", "就业创业")
      .put("body", body).put("effectiveAt", "2020-03-01T00:00:00+08:00");
    Client.Response created = client.post("/api/v1/documents", editor, json.mergeIn(extra));
    assertEquals(201, created.status(), created::toString);
    return created.json().getString("id");
  }

  /** Exempted from 同步审签, taken through every review stage, published. */
  static void publish(String id) {
    String path = "/api/v1/documents/" + id;
    assertEquals(200, client.post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "测试")).status());
    assertEquals(200, client.post(path + "/submit", editor, new JsonObject()).status());
    for (String reviewer : reviewers) {
      Client.Response approved = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve"));
      assertEquals(200, approved.status(), approved::toString);
    }
    Client.Response published = client.post(path + "/publish", editor, new JsonObject());
    assertEquals(200, published.status(), published::toString);
  }

  static Client.Response search(String q, String more) {
    return client.get("/mp/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more, citizen);
  }

  static List<String> ids(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
    return response.items().stream().map(JsonObject.class::cast).map(hit -> hit.getString("id")).toList();
  }

  /** Waits until the search finds the id (the server applies changes on its writer thread). */
  static JsonObject eventually(String q, String id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (true) {
      Client.Response response = search(q, "&limit=20");
      if (ids(response).contains(id)) {
        return response.items().stream().map(JsonObject.class::cast).filter(h -> h.getString("id").equals(id))
          .findFirst().orElseThrow();
      }
      if (System.currentTimeMillis() > deadline) {
        fail(id + " not found for " + q + " within 5 s: " + response);
      }
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("a published document is found with highlights and no score; drafts and documents in review are not")
  void publishedOnly() throws Exception {
    String word = "灵活就业社保补贴";
    String published = document("关于" + word + "的通知", "<p>符合条件的人员可申请" + word + "，每月<b>300</b>元。</p>", new JsonObject());
    String draft = document(word + "实施细则（草稿）", "<p>" + word + "草稿。</p>", new JsonObject());
    publish(published);

    JsonObject hit = eventually(word, published);
    assertEquals("document", hit.getString("kind"));
    assertEquals("关于<em>" + word + "</em>的通知", hit.getString("titleHighlighted"));
    assertTrue(hit.getString("snippet").contains("可申请<em>" + word + "</em>"), hit.getString("snippet"));
    assertFalse(hit.containsKey("score"), "staff-only ranking detail");
    assertFalse(ids(search(word, "&limit=20")).contains(draft), "a draft is not public");
    assertTrue(client.get("/api/v1/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8), admin).text()
      .contains(draft), "while staff find it");
  }

  @Test
  @DisplayName("pages of limit hits walk through every hit once, and next is null on the last")
  void pages() throws Exception {
    String word = "创业担保贷款贴息";
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = document(word + "办理指南第" + i + "号", "<p>" + word + "申请流程。</p>", new JsonObject());
      publish(id);
      published.add(id);
    }
    for (String id : published) {
      eventually(word, id);
    }
    List<String> seen = new ArrayList<>();
    String cursor = "";
    do {
      Client.Response page = search(word, "&limit=2" + cursor);
      assertTrue(page.items().size() <= 2, page::toString);
      seen.addAll(ids(page));
      String next = page.json().getString("next");
      cursor = next == null ? null : "&cursor=" + next;
    } while (cursor != null);
    assertTrue(seen.containsAll(published), seen::toString);
    assertEquals(seen.size(), Set.copyOf(seen).size(), "no hit twice: " + seen);
  }

  @Test
  @DisplayName("an empty, blank, over-long or undecodable query, a bad limit or cursor: 400; no token: 401")
  void badInput() {
    assertEquals("invalid-query", client.get("/mp/v1/search", citizen).problemCode());
    assertEquals("invalid-query", client.get("/mp/v1/search?q=", citizen).problemCode());
    assertEquals("invalid-query", client.get("/mp/v1/search?q=%20%20", citizen).problemCode());
    assertEquals("invalid-query", search("政".repeat(51), "").problemCode());
    assertEquals(200, search("政".repeat(50), "").status());
    assertEquals("invalid-query", client.get("/mp/v1/search?q=%ED%A0%80", citizen).problemCode(), "a lone surrogate");
    assertEquals("invalid-query", client.get("/mp/v1/search?q=%E6%94%BF%01", citizen).problemCode(), "a control");
    assertEquals("invalid-limit", search("政策", "&limit=21").problemCode());
    assertEquals("invalid-limit", search("政策", "&limit=0").problemCode());
    assertEquals("invalid-cursor", search("政策", "&cursor=abc").problemCode());
    assertEquals("invalid-cursor", search("政策", "&cursor=99999").problemCode());
    assertEquals(List.of(), ids(search("，。！", "")), "nothing to search for: no hits");
    assertEquals(401, client.get("/mp/v1/search?q=%E6%94%BF", null).status());
    assertEquals(401, client.get("/mp/v1/search?q=%E6%94%BF", "forged-token").status());
    assertEquals(401, client.get("/mp/v1/documents/expired", null).status());
    assertEquals("invalid-cursor", client.get("/mp/v1/documents/expired?cursor=%27", citizen).problemCode());
  }

  @Test
  @DisplayName("the expired list shows published documents past their expiry or repealed, with the published successor")
  void expiredList() {
    String successor = document("就业见习管理办法（2026年修订）", "<p>新办法。</p>", new JsonObject());
    publish(successor);
    String repealed = document("就业见习管理办法", "<p>旧办法。</p>", new JsonObject());
    Client.Response marked = client.post("/api/v1/documents/" + repealed + "/validity", editor,
      new JsonObject().put("validity", "repealed").put("successorId", successor));
    assertEquals(200, marked.status(), marked::toString);
    publish(repealed);
    String lapsed = document("2025年度职业技能补贴标准", "<p>到期。</p>",
      new JsonObject().put("expiresAt", "2025-12-31T23:59:59+08:00"));
    publish(lapsed);
    String unpublished = document("未发布的到期草稿", "<p>草稿。</p>", new JsonObject().put("expiresAt", "2025-12-31T23:59:59+08:00"));

    List<JsonObject> listed = new ArrayList<>();
    String cursor = "";
    for (int pages = 0; cursor != null && pages < 50; pages++) {
      Client.Response page = client.get("/mp/v1/documents/expired?limit=20" + cursor, citizen);
      assertEquals(200, page.status(), page::toString);
      assertTrue(page.items().size() <= 20);
      page.items().forEach(item -> listed.add((JsonObject) item));
      String next = page.json().getString("next");
      cursor = next == null ? null : "&cursor=" + next;
    }
    JsonObject old = find(listed, repealed);
    assertEquals("repealed", old.getString("validity"));
    assertEquals(new JsonObject().put("id", successor).put("title", "就业见习管理办法（2026年修订）"), old.getJsonObject("successor"));
    assertTrue(old.getString("docNumber").startsWith("人社〔2026〕"));
    JsonObject expired = find(listed, lapsed);
    assertEquals("expired", expired.getString("validity"));
    assertTrue(expired.getString("expiresAt").startsWith("2025-12-31T23:59:59"), expired::toString);
    assertNull(expired.getJsonObject("successor"));
    List<String> ids = listed.stream().map(d -> d.getString("id")).toList();
    assertFalse(ids.contains(successor), "in force");
    assertFalse(ids.contains(unpublished), "not public");
  }

  @Test
  @DisplayName("a post is found while its mini-program slot is published, and is gone at the next search once withdrawn")
  void postsOnTheMiniapp() throws Exception {
    Newsroom newsroom = new Newsroom(client);
    String reader = newsroom.citizen("openid-" + Client.unique());
    String document = newsroom.publishedDocument("关于推进适老化改造的实施意见");
    String word = "适老化改造入户评估";
    String post = newsroom.approvedPost(document, word + "开始预约");
    String q = "/mp/v1/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8);
    assertFalse(ids(client.get(q, reader)).contains(post), "approved, not yet on the mini-program");

    String slot = newsroom.sendToMiniapp(post);
    long deadline = System.currentTimeMillis() + 5_000;
    while (!ids(client.get(q, reader)).contains(post)) {
      assertTrue(System.currentTimeMillis() < deadline, "the published post not found within 5 s");
      Thread.sleep(20);
    }
    newsroom.withdraw(post, slot);
    assertFalse(ids(client.get(q, reader)).contains(post), "withdrawn: gone at once");
  }

  @Test
  @DisplayName("a repeat search with the ETag it got gets 304 and no body; the expired list too")
  void etag() throws Exception {
    String word = "稳岗返还资金发放";
    String id = document(word + "公告", "<p>" + word + "名单。</p>", new JsonObject());
    publish(id);
    eventually(word, id);
    String path = "/mp/v1/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8);
    Client.Response first = client.get(path, citizen);
    assertEquals(200, first.status());
    assertEquals("private, no-cache", first.header("Cache-Control"));
    String etag = first.header("ETag");
    Client.Response again = client.get(path, citizen, Map.of("If-None-Match", etag));
    assertEquals(304, again.status(), again::toString);
    assertEquals("", again.text());

    Client.Response list = client.get("/mp/v1/documents/expired", citizen);
    assertEquals(200, list.status());
    assertEquals(304, client.get("/mp/v1/documents/expired", citizen, Map.of("If-None-Match", list.header("ETag"))).status());
  }

  static JsonObject find(List<JsonObject> listed, String id) {
    return listed.stream().filter(d -> d.getString("id").equals(id)).findFirst()
      .orElseThrow(() -> new AssertionError(id + " not listed"));
  }
}
