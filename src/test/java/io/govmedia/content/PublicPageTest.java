package io.govmedia.content;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages of published posts are shown by the publishing tests, which publish a post through a slot. */
@DisplayName("The public mobile page /p/{id} shows published content to anyone, and nothing else")
class PublicPageTest {

  static ContentFixtures f;
  static Client client;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    f = new ContentFixtures(client, "政策研究室");
  }

  static Client.Response page(String id) {
    return client.get("/p/" + id, null);
  }

  static void assertNotFoundPage(Client.Response response) {
    assertEquals(404, response.status(), response::toString);
    assertTrue(response.contentType().startsWith("text/html"), response.contentType());
    assertTrue(response.text().contains("页面不存在"), response::toString);
  }

  @Test
  @DisplayName("an interpretation's page appears only once it is published, with its video, title, department and time")
  void interpretationPage() {
    String document = f.publishedDocument("城乡居民医保缴费办法");
    String video = f.video();
    String id = f.create("/api/v1/interpretations", new JsonObject().put("documentId", document).put("form", "video")
      .put("title", "视频解读：医保怎么缴").put("body", "<p>三分钟看懂<strong>缴费标准</strong>。</p>")
      .put("assetIds", new io.vertx.core.json.JsonArray().add(video))).getString("id");
    String path = "/api/v1/interpretations/" + id;
    assertNotFoundPage(page(id));
    f.throughReview(path);
    assertNotFoundPage(page(id));
    JsonObject published = ContentFixtures.ok(client.post(path + "/publish", f.editor, new JsonObject()));

    Client.Response shown = page(id + "?s=0123456789abcdef01234567");
    assertEquals(200, shown.status(), shown::toString);
    assertTrue(shown.contentType().startsWith("text/html"), shown.contentType());
    String html = shown.text();
    assertTrue(html.contains("<html lang=\"zh-CN\">"), html);
    assertTrue(html.contains("<h1>视频解读：医保怎么缴</h1>"), html);
    assertTrue(html.contains("<strong>缴费标准</strong>"), html);
    assertTrue(html.contains("<video controls preload=\"metadata\" src=\"/media/" + video + "\">"), html);
    assertTrue(html.contains("href=\"/p/" + document + "\""), "links the document it interprets: " + html);
    assertTrue(html.contains("政策研究室"), "names the department: " + html);
    String local = java.time.OffsetDateTime.parse(published.getString("publishedAt"))
      .atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm"));
    assertTrue(html.contains(local), "shows the time in Beijing: " + html);
    assertFalse(html.contains("<script"), html);
    assertEquals(200, client.get("/media/" + video, null).status(), "the video plays for anyone");
    assertEquals(200, page(document).status(), "the document's page is there too");
  }

  @Test
  @DisplayName("the page is cacheable for five minutes with an ETag (304 on a repeat), under a strict CSP, and answers HEAD")
  void cachingAndHeaders() {
    String id = f.publishedDocument("政务公开工作要点");
    Client.Response shown = page(id);
    assertEquals("public, max-age=300", shown.header("Cache-Control"));
    String csp = shown.header("Content-Security-Policy");
    assertNotNull(csp);
    assertTrue(csp.contains("default-src 'none'") && !csp.contains("script-src"), csp);
    String etag = shown.header("ETag");
    assertNotNull(etag);
    Client.Response again = client.get("/p/" + id, null, Map.of("If-None-Match", etag));
    assertEquals(304, again.status(), again::toString);
    assertEquals("", again.text());
    Client.Response head = client.raw("HEAD", "/p/" + id, null, null, null);
    assertEquals(200, head.status(), head::toString);
    assertEquals("", head.text());
    assertEquals(etag, head.header("ETag"));
  }

  @Test
  @DisplayName("a title with markup is shown as text, never run")
  void escaping() {
    String id = f.publishedDocument("<script>alert('x')</script>关于\"安全\"的通知");
    String html = page(id).text();
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;关于&quot;安全&quot;的通知"), html);
  }

  @Test
  @DisplayName("unknown, draft and malformed ids all answer the same Chinese 404 page")
  void sameNotFound() {
    String draft = f.create("/api/v1/documents", f.document("未发布的文件")).getString("id");
    Client.Response unknown = page("0".repeat(24));
    Client.Response drafted = page(draft);
    Client.Response malformed = page("not-an-id");
    for (Client.Response response : List.of(unknown, drafted, malformed)) {
      assertNotFoundPage(response);
    }
    assertEquals(unknown.text(), drafted.text());
    assertEquals(unknown.text(), malformed.text());
  }
}
