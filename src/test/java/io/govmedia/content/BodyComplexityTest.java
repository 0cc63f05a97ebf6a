package io.govmedia.content;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies nested so deep that sanitizing them would take seconds to minutes (jsoup's Cleaner is quadratic in depth)
 * are refused before sanitizing, on every path that takes a body, and nothing on the way runs on an event loop.
 * Each test has a generous timeout: before the limits, one such body held an event loop for about 30 s.
 */
@DisplayName("Bodies too complex to sanitize")
@Timeout(60)
class BodyComplexityTest {

  /** 100,000 nested div, 500 KB: 30 s of Cleaner on an event loop before the limits. */
  static final String NESTED_DIVS = "<div>".repeat(100_000) + "正文";
  /** 20,000 levels of list in list: 3 s. */
  static final String NESTED_LISTS = "<ul><li>".repeat(20_000) + "正文";

  static Client client;
  static String admin;
  static String department;
  static String editor;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "司法局", null);
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
  }

  static JsonObject document(String body) {
    return document("行政复议办理规定", body);
  }

  static JsonObject document(String title, String body) {
    return new JsonObject().put("title", title).put("docNumber", "司法〔2026〕" + Client.unique() + "号")
      .put("issuer", "市司法局").put("departmentId", department).put("category", "法治").put("body", body);
  }

  static void assertTooComplex(Client.Response response, String limit) {
    assertEquals(422, response.status(), response::toString);
    assertEquals("body-too-complex", response.problemCode());
    assertEquals(limit, response.json().getString("limit"), response::toString);
    assertTrue(response.json().getString("title").matches(".*\\p{IsHan}.*"), response::toString);
  }

  @Test
  @DisplayName("100,000 nested div and 20,000 levels of lists get 422 body-too-complex on content-checks")
  void contentChecks() {
    for (String body : List.of(NESTED_DIVS, NESTED_LISTS)) {
      assertTooComplex(client.post("/api/v1/content-checks", editor, new JsonObject().put("body", body)), "elements");
    }
    Client.Response deep = client.post("/api/v1/content-checks", editor,
      new JsonObject().put("body", "<blockquote>".repeat(200) + "正文"));
    assertTooComplex(deep, "depth");
    assertTrue(deep.json().getString("detail").contains("64"), deep::toString);
  }

  @Test
  @DisplayName("such bodies get 422 on document create and PATCH, and nothing is created or changed")
  void documents() {
    for (String body : List.of(NESTED_DIVS, NESTED_LISTS, "<div>".repeat(65) + "正文")) {
      assertTooComplex(client.post("/api/v1/documents", editor, document("嵌套过深的文件", body)),
        body.length() < 1000 ? "depth" : "elements");
    }
    String id = client.post("/api/v1/documents", editor, document("<p>第一条</p>")).json().getString("id");
    assertTooComplex(client.patch("/api/v1/documents/" + id, editor, new JsonObject().put("body", NESTED_LISTS)),
      "elements");
    JsonObject stored = client.get("/api/v1/documents/" + id, editor).json();
    assertEquals(1, stored.getInteger("version"));
    assertEquals("第一条", stored.getString("bodyText"));
    assertEquals(0, client.get("/api/v1/documents?limit=200&departmentId=" + department, editor).items().stream()
      .map(JsonObject.class::cast).filter(d -> d.getString("title").equals("嵌套过深的文件")).count(),
      "no refused body was stored");
  }

  @Test
  @DisplayName("such bodies get 422 on interpretation create and PATCH too")
  void interpretations() {
    String document = client.post("/api/v1/documents", editor, document("<p>第一条</p>")).json().getString("id");
    JsonObject interpretation = new JsonObject().put("documentId", document).put("form", "text").put("title", "解读");
    assertTooComplex(client.post("/api/v1/interpretations", editor, interpretation.copy().put("body", NESTED_DIVS)),
      "elements");
    String id = client.post("/api/v1/interpretations", editor, interpretation.copy().put("body", "<p>解读正文</p>"))
      .json().getString("id");
    assertTooComplex(client.patch("/api/v1/interpretations/" + id, editor, new JsonObject().put("body", NESTED_DIVS)),
      "elements");
  }

  @Test
  @DisplayName("while such bodies are being refused on a server with one event loop, /health is answered")
  void eventLoopStaysFree() throws Exception {
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_HTTP_INSTANCES", "1"))) {
      Client own = new Client(server.port());
      String token = own.adminToken();
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
              + "/api/v1/content-checks")).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(50))
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("body", i % 2 == 0 ? NESTED_DIVS
              : "<span>".repeat(19_000) + "正文").encode())).build(),
          HttpResponse.BodyHandlers.ofString()));
      }
      assertEquals(200, own.get("/health", null).status());
      for (CompletableFuture<HttpResponse<String>> request : inFlight) {
        HttpResponse<String> response = request.join();
        assertEquals(422, response.statusCode(), response::body);
      }
    }
  }

  @Test
  @DisplayName("a GET shows the body and text stored on save and never re-parses: a stored body past today's limits reads fine")
  void readsNeverParse() {
    String id = "0000000000000000" + Client.unique().substring(0, 8);
    Date now = new Date();
    Document legacy = new Document("_id", id).append("status", "draft").append("version", 1L)
      .append("title", "旧版系统导入的文件").append("body", NESTED_DIVS)
      .append("bodyText", "保存时生成的正文文本").append("departmentId", department)
      .append("attrs", new Document("docNumber", "司法〔2020〕1号").append("issuer", "市司法局").append("category", "法治")
        .append("validity", "valid").append("attachmentIds", List.of()))
      .append("stage", 0).append("approvals", List.of()).append("findings", List.of()).append("findingsVersion", 0L)
      .append("history", List.of()).append("createdBy", new Document("id", "legacy").append("username", "导入"))
      .append("createdAt", now).append("updatedAt", now).append("publishedAt", null);
    StoreAccess.first(StoreAccess.collection("documents").insertOne(legacy));

    Client.Response read = client.get("/api/v1/documents/" + id, editor);

    assertEquals(200, read.status(), () -> read.toString().substring(0, 300));
    assertEquals("保存时生成的正文文本", read.json().getString("bodyText"),
      "the text findings point into is the one stored, not a new rendering");
    assertEquals(NESTED_DIVS, read.json().getString("body"));
    assertEquals(200, client.get("/health", null).status());
  }
}
