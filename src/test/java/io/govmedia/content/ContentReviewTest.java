package io.govmedia.content;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Policy documents, interpretations and their three-level review")
class ContentReviewTest {

  static Client client;
  static String admin;
  static String department;
  static String editor;
  static String otherEditor;
  static List<String> reviewers;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "住房和城乡建设局", null);
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    otherEditor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    reviewers = List.of(reviewer(), reviewer(), reviewer());
  }

  static String reviewer() {
    return client.staffToken(admin, List.of("reviewer"), List.of(department), List.of());
  }

  static JsonObject documentBody(String title) {
    return new JsonObject().put("title", title).put("docNumber", "建城〔2026〕" + (int) (Math.random() * 900 + 100) + "号")
      .put("issuer", "市住房和城乡建设局").put("departmentId", department).put("category", "住房保障")
      .put("body", "<p>为规范老旧小区改造工作，制定本办法。</p>").put("issuedAt", "2026-03-01T09:00:00+08:00");
  }

  static JsonObject create(String path, String token, JsonObject body) {
    Client.Response response = client.post(path, token, body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  static JsonObject interpretation(String documentId) {
    return create("/api/v1/interpretations", editor, new JsonObject().put("documentId", documentId).put("form", "text")
      .put("title", "图解：老旧小区改造怎么改").put("body", "<p>一图读懂改造范围与补助标准。</p>"));
  }

  static Client.Response post(String path, String token, JsonObject body) {
    return client.post(path, token, body == null ? new JsonObject() : body);
  }

  static Client.Response approve(String path, String token) {
    return post(path + "/review", token, new JsonObject().put("decision", "approve").put("comment", "同意"));
  }

  /** A document with a submitted interpretation, submitted itself. */
  static String documentInReview() {
    String id = create("/api/v1/documents", editor, documentBody("老旧小区改造实施办法")).getString("id");
    String interpretation = interpretation(id).getString("id");
    assertEquals(200, post("/api/v1/interpretations/" + interpretation + "/submit", editor, null).status());
    Client.Response submitted = post("/api/v1/documents/" + id + "/submit", editor, null);
    assertEquals(200, submitted.status(), submitted::toString);
    return id;
  }

  /** A document taken through exemption, review and publication, with extra fields. */
  static String publishedDocument(String title, JsonObject extra) {
    String id = create("/api/v1/documents", editor, documentBody(title).mergeIn(extra)).getString("id");
    String path = "/api/v1/documents/" + id;
    assertEquals(200, post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "历史文件补录")).status());
    assertEquals(200, post(path + "/submit", editor, null).status());
    reviewers.forEach(r -> assertEquals(200, approve(path, r).status()));
    Client.Response published = post(path + "/publish", editor, null);
    assertEquals(200, published.status(), published::toString);
    return id;
  }

  /** Takes an exempted document that went back to draft through review and out again. */
  static void republish(String id) {
    String path = "/api/v1/documents/" + id;
    assertEquals(200, post(path + "/submit", editor, null).status());
    reviewers.forEach(r -> assertEquals(200, approve(path, r).status()));
    Client.Response published = post(path + "/publish", editor, null);
    assertEquals(200, published.status(), published::toString);
  }

  @Test
  @DisplayName("a document is created as a version-1 draft with the contract's fields")
  void create() {
    JsonObject document = create("/api/v1/documents", editor, documentBody("住房公积金提取管理办法"));
    assertEquals("draft", document.getString("status"));
    assertEquals(1, document.getInteger("version"));
    assertEquals("住房公积金提取管理办法", document.getString("title"));
    assertEquals("市住房和城乡建设局", document.getString("issuer"));
    assertEquals("valid", document.getString("validity"));
    assertEquals(List.of("初审", "复审", "终审"), document.getJsonObject("review").getJsonArray("stages").getList());
    assertEquals(document, client.get("/api/v1/documents/" + document.getString("id"), editor).json());
  }

  @Test
  @DisplayName("an HTML body is sanitized on save: scripts, event handlers and javascript: links are gone, the text stays")
  void sanitizedOnSave() {
    JsonObject document = create("/api/v1/documents", editor, documentBody("清洗测试").put("body",
      "<p onclick=\"steal()\">第一条 适用范围</p><script>alert(1)</script><a href=\"javascript:alert(2)\">详情</a>"
        + "<img src=\"https://www.gov.cn/a.png\" onerror=\"x()\">"));
    String body = document.getString("body");
    assertFalse(body.contains("script") || body.contains("onclick") || body.contains("onerror")
      || body.contains("javascript:"), body);
    assertTrue(body.contains("第一条 适用范围") && body.contains("https://www.gov.cn/a.png"), body);
  }

  @Test
  @DisplayName("staff find a saved document and its interpretation by search, with the words highlighted")
  void searchable() {
    JsonObject document = create("/api/v1/documents", editor, documentBody("农村饮水安全巩固提升办法")
      .put("body", "<p>加强农村饮水工程运行管护。</p>"));
    interpretation(document.getString("id"));
    JsonArray hits = client.get("/api/v1/search?q=" + java.net.URLEncoder.encode("饮水安全", java.nio.charset.StandardCharsets.UTF_8),
      editor).items();
    JsonObject hit = hits.stream().map(JsonObject.class::cast).filter(h -> document.getString("id").equals(h.getString("id")))
      .findFirst().orElseThrow(() -> new AssertionError(hits.encode()));
    assertEquals("document", hit.getString("kind"));
    assertTrue(hit.encode().contains("<em>"), hit::encode);
  }

  @Test
  @DisplayName("an infographic interpretation without an image is refused for review with media-required")
  void infographicNeedsImages() {
    String document = create("/api/v1/documents", editor, documentBody("图解缺图")).getString("id");
    String interpretation = create("/api/v1/interpretations", editor, new JsonObject().put("documentId", document)
      .put("form", "infographic").put("title", "一图读懂").put("body", "<p>图片待补充</p>")).getString("id");
    Client.Response refused = post("/api/v1/interpretations/" + interpretation + "/submit", editor, null);
    assertEquals(409, refused.status(), refused::toString);
    assertEquals("media-required", refused.problemCode());
  }

  @Test
  @DisplayName("a wrong institution name in the issuer blocks like one in the body, and the finding names the field")
  void checkedFieldsBeyondBody() {
    String wrong = "中华人民共合国" + Client.unique().substring(0, 4);
    Client.Response rule = client.post("/api/v1/wording-rules", admin, new JsonObject().put("wrong", wrong)
      .put("right", "中华人民共和国"));
    assertEquals(201, rule.status(), rule::toString);
    String id = create("/api/v1/documents", editor, documentBody("发文机关检查").put("issuer", wrong + "某部")).getString("id");
    post("/api/v1/documents/" + id + "/exemption", reviewers.get(0), new JsonObject().put("reason", "测试"));
    JsonObject submitted = post("/api/v1/documents/" + id + "/submit", editor, null).json();
    JsonObject finding = submitted.getJsonArray("findings").stream().map(JsonObject.class::cast)
      .filter(f -> "issuer".equals(f.getString("field"))).findFirst().orElseThrow(() -> new AssertionError(submitted.encode()));
    assertEquals("wording", finding.getString("rule"));
    assertEquals("block", finding.getString("level"));
    assertTrue(submitted.getBoolean("blocked"));
  }

  @Test
  @DisplayName("a rejected item must be changed before it goes back to review, and its author cannot exempt it")
  void rejectionNeedsAChange() {
    String path = "/api/v1/documents/" + documentInReview();
    Client.Response rejected = post(path + "/review", reviewers.get(0), new JsonObject().put("decision", "reject")
      .put("comment", "请补充依据"));
    assertEquals(200, rejected.status(), rejected::toString);
    assertEquals("rejected", rejected.json().getString("status"));
    assertEquals("rejected", client.get(path, editor).json().getString("status"));
    Client.Response unchanged = post(path + "/submit", editor, null);
    assertEquals(409, unchanged.status(), unchanged::toString);
    assertEquals("wrong-status", unchanged.problemCode(), "refused because it was rejected, not for another reason");

    String both = client.staffToken(admin, List.of("editor", "reviewer"), List.of(department), List.of());
    String own = create("/api/v1/documents", both, documentBody("自行豁免")).getString("id");
    assertEquals(403, post("/api/v1/documents/" + own + "/exemption", both, new JsonObject().put("reason", "我自己批")).status());
  }

  @Test
  @DisplayName("bad document bodies are 400 problems and create nothing; a replier may not write")
  void badInput() {
    Client.Response missing = client.post("/api/v1/documents", editor, new JsonObject().put("title", "无文号"));
    assertEquals(400, missing.status());
    assertEquals("invalid-body", missing.problemCode());
    Client.Response wrongType = client.post("/api/v1/documents", editor, documentBody("类型").put("title", new JsonObject().put("$gt", "")));
    assertEquals("invalid-body", wrongType.problemCode());
    Client.Response badValidity = client.post("/api/v1/documents", editor, documentBody("效力").put("validity", "abolished"));
    assertEquals("invalid-body", badValidity.problemCode());
    Client.Response noDepartment = client.post("/api/v1/documents", editor,
      documentBody("部门").put("departmentId", "0123456789abcdef01234567"));
    assertEquals(400, noDepartment.status());
    String replier = client.staffToken(admin, List.of("replier"), List.of(department), List.of());
    assertEquals(403, client.post("/api/v1/documents", replier, documentBody("越权")).status());
    Client.Response noDocument = client.post("/api/v1/interpretations", editor, new JsonObject()
      .put("documentId", "0123456789abcdef01234567").put("form", "text").put("title", "无").put("body", "<p>无</p>"));
    assertEquals("unknown-document", noDocument.problemCode());
  }

  @Test
  @DisplayName("同步审签: a document goes to review only with an interpretation, or with a reviewer's recorded exemption")
  void interpretationGoesAlong() {
    String id = create("/api/v1/documents", editor, documentBody("城市更新条例")).getString("id");
    Client.Response alone = post("/api/v1/documents/" + id + "/submit", editor, null);
    assertEquals(409, alone.status());
    assertEquals("interpretation-required", alone.problemCode());

    assertEquals(403, post("/api/v1/documents/" + id + "/exemption", editor, new JsonObject().put("reason", "紧急")).status());
    Client.Response exempted = post("/api/v1/documents/" + id + "/exemption", reviewers.get(0),
      new JsonObject().put("reason", "涉密事项，解读另行发布"));
    assertEquals(200, exempted.status(), exempted::toString);
    assertEquals("涉密事项，解读另行发布", exempted.json().getJsonObject("interpretationExemption").getString("reason"));
    assertEquals(200, post("/api/v1/documents/" + id + "/submit", editor, null).status());
  }

  @Test
  @DisplayName("three stages are approved by three different reviewers, never by an author, never twice by one person")
  void threeLevels() {
    String path = "/api/v1/documents/" + documentInReview();
    Client.Response own = approve(path, editor);
    assertEquals(403, own.status(), "an editor is no reviewer");
    String authorReviewer = client.staffToken(admin, List.of("editor", "reviewer"), List.of(department), List.of());
    String ownId = create("/api/v1/documents", authorReviewer, documentBody("自审")).getString("id");
    post("/api/v1/documents/" + ownId + "/exemption", reviewers.get(0), new JsonObject().put("reason", "测试豁免"));
    post("/api/v1/documents/" + ownId + "/submit", authorReviewer, null);
    Client.Response selfReview = approve("/api/v1/documents/" + ownId, authorReviewer);
    assertEquals(403, selfReview.status(), selfReview::toString);

    JsonObject first = approve(path, reviewers.get(0)).json();
    assertEquals("in_review", first.getString("status"));
    assertEquals("复审", first.getJsonObject("review").getString("stageName"));
    Client.Response twice = approve(path, reviewers.get(0));
    assertEquals(409, twice.status());
    assertEquals("already-reviewed", twice.problemCode());
    assertEquals("终审", approve(path, reviewers.get(1)).json().getJsonObject("review").getString("stageName"));
    JsonObject done = approve(path, reviewers.get(2)).json();
    assertEquals("approved", done.getString("status"));
    assertEquals(3, done.getJsonObject("review").getJsonArray("approvals").size());
  }

  @Test
  @DisplayName("a rejection returns the item to its author with the comment; a rejection without a comment is refused")
  void rejection() {
    String path = "/api/v1/documents/" + documentInReview();
    Client.Response silent = post(path + "/review", reviewers.get(0), new JsonObject().put("decision", "reject"));
    assertEquals(400, silent.status());
    JsonObject rejected = post(path + "/review", reviewers.get(0), new JsonObject().put("decision", "reject")
      .put("comment", "第三条补助标准表述不清")).json();
    assertEquals("rejected", rejected.getString("status"));
    JsonObject last = rejected.getJsonArray("history").getJsonObject(rejected.getJsonArray("history").size() - 1);
    assertEquals("rejected", last.getString("action"));
    assertEquals("第三条补助标准表述不清", last.getString("comment"));
    assertEquals(200, client.patch(path, editor, new JsonObject().put("body", "<p>补助标准见附表。</p>")).status());
    assertEquals(200, post(path + "/submit", editor, null).status());
  }

  @Test
  @DisplayName("an approval binds to the version it saw: an edit after approval makes a new version and restarts review")
  void versionsBindApprovals() {
    String path = "/api/v1/documents/" + documentInReview();
    approve(path, reviewers.get(0));
    approve(path, reviewers.get(1));
    approve(path, reviewers.get(2));
    JsonObject edited = client.patch(path, otherEditor, new JsonObject().put("title", "老旧小区改造实施办法（修订）")).json();
    assertEquals("draft", edited.getString("status"));
    assertEquals(2, edited.getInteger("version"));
    assertEquals(0, edited.getJsonObject("review").getJsonArray("approvals").size());

    assertEquals(200, post(path + "/submit", editor, null).status());
    Client.Response stale = post(path + "/review", reviewers.get(0), new JsonObject().put("decision", "approve").put("version", 1));
    assertEquals(409, stale.status());
    assertEquals("version-changed", stale.problemCode());
    Client.Response staleHeader = client.raw("POST", path + "/review", reviewers.get(0), "application/json",
      new JsonObject().put("decision", "approve").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
      Map.of("If-Match", "\"1\""));
    assertEquals("version-changed", staleHeader.problemCode(), "the version seen may also come as If-Match");
    assertEquals(403, approve(path, otherEditor).status(), "whoever edited a version is an author");

    JsonArray versions = client.get(path + "/versions", editor).items();
    assertEquals(2, versions.size());
    assertEquals("老旧小区改造实施办法", versions.getJsonObject(0).getString("title"));
    assertEquals("老旧小区改造实施办法（修订）", versions.getJsonObject(1).getString("title"));
    assertTrue(versions.getJsonObject(1).getBoolean("current"));
  }

  @Test
  @DisplayName("a blocking finding (a real ID number) is shown with its position and stops approval at every stage")
  void blockingFinding() {
    String idNumber = validIdNumber();
    String id = create("/api/v1/documents", editor, documentBody("信访事项公示")
      .put("body", "<p>当事人身份证号" + idNumber + "，已办结。</p>")).getString("id");
    post("/api/v1/documents/" + id + "/exemption", reviewers.get(0), new JsonObject().put("reason", "内部公示"));
    JsonObject submitted = post("/api/v1/documents/" + id + "/submit", editor, null).json();
    JsonObject finding = submitted.getJsonArray("findings").stream().map(JsonObject.class::cast)
      .filter(f -> "id-number".equals(f.getString("rule"))).findFirst().orElseThrow();
    assertEquals("block", finding.getString("level"));
    String text = submitted.getString("bodyText");
    assertEquals(idNumber, text.substring(finding.getInteger("start"), finding.getInteger("end")));
    Client.Response refused = approve("/api/v1/documents/" + id, reviewers.get(0));
    assertEquals(409, refused.status());
    assertEquals("blocking-findings", refused.problemCode());
  }

  @Test
  @DisplayName("a repealed document links its successor and is listed with documents past their expiry as 失效文件")
  void expiredList() {
    String old = publishedDocument("旧办法", new JsonObject());
    String successor = publishedDocument("新办法", new JsonObject());
    String lapsed = publishedDocument("到期办法", new JsonObject().put("expiresAt", "2025-12-31T23:59:59+08:00"));
    String draft = create("/api/v1/documents", editor, documentBody("未发布的到期草稿")
      .put("expiresAt", "2025-12-31T23:59:59+08:00")).getString("id");
    Client.Response noSuccessor = post("/api/v1/documents/" + old + "/validity", editor, new JsonObject().put("validity", "amended"));
    assertEquals(400, noSuccessor.status());
    Client.Response notADocument = post("/api/v1/documents/" + old + "/validity", editor, new JsonObject()
      .put("validity", "repealed").put("successorId", "0123456789abcdef01234567"));
    assertEquals("unknown-successor", notADocument.problemCode());
    JsonObject repealed = post("/api/v1/documents/" + old + "/validity", editor, new JsonObject().put("validity", "repealed")
      .put("successorId", successor)).json();
    assertEquals("repealed", repealed.getString("validity"));
    assertEquals(successor, repealed.getString("successorId"));
    assertEquals("draft", repealed.getString("status"), "a published document's validity changes through review");
    republish(old);
    Client.Response cycle = post("/api/v1/documents/" + successor + "/validity", editor, new JsonObject()
      .put("validity", "amended").put("successorId", old));
    assertEquals("invalid-successor", cycle.problemCode());
    assertEquals("expired", client.get("/api/v1/documents/" + lapsed, editor).json().getString("validity"));

    List<String> listed = client.get("/api/v1/documents/expired?limit=200", editor).items().stream()
      .map(JsonObject.class::cast).map(d -> d.getString("id")).toList();
    assertTrue(listed.contains(old) && listed.contains(lapsed), listed::toString);
    assertFalse(listed.contains(successor));
    assertFalse(listed.contains(draft), "the public list holds published documents only");
  }

  @Test
  @DisplayName("an interpretation is late after 3 working days: across the 2026 Spring Festival 12 calendar days are on time, 4 working days in March are late")
  void lateInterpretation() {
    MovableClock clock = new MovableClock();
    moveTo(clock, "2026-02-13T10:00:00+08:00");  // a Friday; the next working day is the make-up Saturday 02-14
    try (Main.Running server = TestServer.get().startAnother(Map.of(), clock)) {
      Client own = new Client(server.port());
      String ownAdmin = own.adminToken();
      String author = own.staffToken(ownAdmin, List.of("editor"), List.of(department), List.of());
      List<String> checkers = List.of(
        own.staffToken(ownAdmin, List.of("reviewer"), List.of(department), List.of()),
        own.staffToken(ownAdmin, List.of("reviewer"), List.of(department), List.of()),
        own.staffToken(ownAdmin, List.of("reviewer"), List.of(department), List.of()));
      List<String> festival = approvedPair(own, author, checkers, "春节前发布的文件");
      List<String> march = approvedPair(own, author, checkers, "三月发布的文件");

      assertEquals(200, own.post("/api/v1/documents/" + festival.get(0) + "/publish", author, new JsonObject()).status());
      moveTo(clock, "2026-02-25T10:00:00+08:00");  // 02-14, 02-24 and 02-25: the 3rd working day
      JsonObject onTime = own.post("/api/v1/interpretations/" + festival.get(1) + "/publish", author, new JsonObject()).json();
      assertEquals("published", onTime.getString("status"), onTime::encode);
      assertNull(onTime.getJsonObject("late"), "12 calendar days, but the Spring Festival holiday does not count");

      moveTo(clock, "2026-03-02T10:00:00+08:00");  // a Monday
      assertEquals(200, own.post("/api/v1/documents/" + march.get(0) + "/publish", author, new JsonObject()).status());
      moveTo(clock, "2026-03-06T10:00:00+08:00");  // Friday: the 4th working day
      JsonObject published = own.post("/api/v1/interpretations/" + march.get(1) + "/publish", author, new JsonObject()).json();
      assertEquals("published", published.getString("status"));
      JsonObject late = published.getJsonObject("late");
      assertNotNull(late, published::encode);
      assertEquals(4, late.getInteger("days"));
      assertEquals(3, late.getInteger("dueDays"));
      assertEquals("working-days", late.getString("counting"));
      assertTrue(late.getString("note").contains("2026-03-05"), late::encode);
    }
  }

  /** Sets the clock to a moment of the holiday calendar (forward or back from now). */
  private static void moveTo(MovableClock clock, String time) {
    clock.advance(Duration.between(clock.instant(), java.time.OffsetDateTime.parse(time).toInstant()));
  }

  /** A document and its interpretation, both through the three reviews; answers their ids. */
  private static List<String> approvedPair(Client own, String author, List<String> checkers, String title) {
    String document = own.post("/api/v1/documents", author, documentBody(title)).json().getString("id");
    String interpretation = own.post("/api/v1/interpretations", author, new JsonObject().put("documentId", document)
      .put("form", "qa").put("title", "问答").put("body", "<p>问：何时实施？答：发布之日起。</p>")).json().getString("id");
    for (String path : List.of("/api/v1/interpretations/" + interpretation, "/api/v1/documents/" + document)) {
      assertEquals(200, own.post(path + "/submit", author, new JsonObject()).status());
      for (String checker : checkers) {
        assertEquals(200, own.post(path + "/review", checker, new JsonObject().put("decision", "approve")).status());
      }
    }
    return List.of(document, interpretation);
  }

  @Test
  @DisplayName("an interpretation published within 3 working days of its document is not flagged")
  void onTimeInterpretation() {
    String document = documentInReview();
    String path = "/api/v1/documents/" + document;
    reviewers.forEach(r -> approve(path, r));
    String interpretation = client.get("/api/v1/interpretations?documentId=" + document, editor).items().getJsonObject(0)
      .getString("id");
    String ipath = "/api/v1/interpretations/" + interpretation;
    Client.Response early = post(path + "/publish", editor, null);
    assertEquals(409, early.status(), "同步部署: the interpretation has not passed review yet");
    assertEquals("interpretation-required", early.problemCode());
    reviewers.forEach(r -> approve(ipath, r));
    Client.Response first = post(ipath + "/publish", editor, null);
    assertEquals(409, first.status(), "an interpretation never goes out before its document");
    assertEquals("document-not-published", first.problemCode());
    assertEquals(200, post(path + "/publish", editor, null).status());
    JsonObject published = post(ipath + "/publish", editor, null).json();
    assertEquals("published", published.getString("status"));
    assertNull(published.getJsonObject("late"));
    assertEquals(409, client.patch(ipath, editor, new JsonObject().put("title", "改")).status(), "published items are final");
  }

  /** An 18-digit ID number with a correct check digit and a real birth date (GB 11643-1999). */
  static String validIdNumber() {
    String first17 = "11010519850612201";
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * weights[i];
    }
    return first17 + "10X98765432".charAt(sum % 11);
  }
}
