package io.govmedia.media;

import io.govmedia.Main;
import io.govmedia.media.AssetUploadTest.Samples;
import io.govmedia.support.Client;
import io.govmedia.support.MovableClock;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static io.govmedia.media.AssetUploadTest.created;
import static io.govmedia.media.AssetUploadTest.upload;
import static io.govmedia.media.MediaTest.anonymous;
import static io.govmedia.media.MediaTest.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Media access: anyone loads what published content uses; drafts need a staff token or a signed URL")
class MediaAccessTest {

  static Client client;
  static String admin;
  static String department;
  static String editor;
  static List<String> reviewers;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    department = client.department(admin, "新闻办", null);
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    reviewers = List.of(reviewer(), reviewer(), reviewer());
  }

  @Test
  @DisplayName("asset ids are 22 characters of base64url randomness: two uploads in a row share nothing guessable")
  void unguessableIds() {
    String first = created(upload(editor, "a.pdf", Samples.pdf(), Map.of())).getString("id");
    String second = created(upload(editor, "b.pdf", Samples.pdf(), Map.of())).getString("id");

    for (String id : List.of(first, second)) {
      assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
    }
    assertNotEquals(first.substring(0, 8), second.substring(0, 8), "no counter or timestamp prefix");
  }

  @Test
  @DisplayName("a draft's file is 404 without signing in, for GET, HEAD and its thumbnail, exactly like an id that names nothing")
  void draftHidden() throws Exception {
    JsonObject image = created(upload(editor, "草稿.png", Samples.png(400, 300), Map.of()));
    String unknown = "/media/" + AssetIds.newId();

    HttpResponse<byte[]> get = anonymous(image.getString("url"), "GET", Map.of());
    HttpResponse<byte[]> missing = anonymous(unknown, "GET", Map.of());

    assertEquals(404, get.statusCode());
    assertEquals(withoutRequestSpecifics(missing), withoutRequestSpecifics(get), "nothing tells a hidden asset from none");
    assertEquals("private, no-store", header(get, "Cache-Control"));
    assertEquals(404, anonymous(image.getString("url"), "HEAD", Map.of()).statusCode());
    assertEquals(404, anonymous(image.getString("thumbnailUrl"), "GET", Map.of()).statusCode());
    assertEquals(404, anonymous(image.getString("url"), "GET", Map.of("Range", "bytes=0-9")).statusCode());
  }

  @Test
  @DisplayName("staff with their bearer token load a draft's file, ranges and thumbnail, never cached; a wrong token is 401")
  void staffSeeDrafts() {
    byte[] png = pngBytes();
    JsonObject image = created(upload(editor, "草稿.png", png, Map.of()));
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + editor);

    HttpResponse<byte[]> whole = anonymous(image.getString("url"), "GET", bearer);
    HttpResponse<byte[]> head = anonymous(image.getString("url"), "HEAD", bearer);
    HttpResponse<byte[]> range = anonymous(image.getString("url"), "GET", with(bearer, "Range", "bytes=0-7"));
    HttpResponse<byte[]> thumbnail = anonymous(image.getString("thumbnailUrl"), "GET", bearer);
    HttpResponse<byte[]> notModified = anonymous(image.getString("url"), "GET", with(bearer, "If-None-Match", etag(image)));

    assertEquals(200, whole.statusCode());
    assertArrayEquals(png, whole.body());
    assertEquals("private, no-store", header(whole, "Cache-Control"));
    assertEquals(etag(image), header(whole, "ETag"));
    assertEquals(List.of(200, String.valueOf(png.length)), List.of(head.statusCode(), header(head, "Content-Length")));
    assertEquals(206, range.statusCode());
    assertEquals(List.of(200, "image/jpeg", "private, no-store"),
      List.of(thumbnail.statusCode(), header(thumbnail, "Content-Type"), header(thumbnail, "Cache-Control")));
    assertEquals(304, notModified.statusCode());
    HttpResponse<byte[]> wrongToken = anonymous(image.getString("url"), "GET", Map.of("Authorization", "Bearer forged"));
    assertEquals(401, wrongToken.statusCode());
  }

  @Test
  @DisplayName("an attachment of a published document is public: 200 with public, max-age=300 and its ETag, 304, ranges, HEAD, thumbnail")
  void publishedIsPublic() {
    byte[] png = pngBytes();
    JsonObject image = created(upload(editor, "附件.png", png, Map.of()));
    publishDocument(new JsonObject().put("attachmentIds", new JsonArray().add(image.getString("id"))));
    String url = image.getString("url");

    HttpResponse<byte[]> whole = anonymous(url, "GET", Map.of());
    HttpResponse<byte[]> notModified = anonymous(url, "GET", Map.of("If-None-Match", etag(image)));
    HttpResponse<byte[]> range = anonymous(url, "GET", Map.of("Range", "bytes=1-3"));
    HttpResponse<byte[]> head = anonymous(url, "HEAD", Map.of());
    HttpResponse<byte[]> thumbnail = anonymous(image.getString("thumbnailUrl"), "GET", Map.of());

    assertEquals(200, whole.statusCode());
    assertArrayEquals(png, whole.body());
    assertEquals("public, max-age=300", header(whole, "Cache-Control"));
    assertEquals(etag(image), header(whole, "ETag"));
    assertEquals(304, notModified.statusCode());
    assertEquals("public, max-age=300", header(notModified, "Cache-Control"));
    assertEquals(206, range.statusCode());
    assertEquals("bytes 1-3/" + png.length, header(range, "Content-Range"));
    assertEquals(200, head.statusCode());
    assertEquals(List.of(200, "public, max-age=300"), List.of(thumbnail.statusCode(), header(thumbnail, "Cache-Control")));
  }

  @Test
  @DisplayName("an image becomes public when the document using it is published (ten seconds at most), not before")
  void publicationOpensIt() {
    JsonObject image = created(upload(editor, "正文配图.png", pngBytes(), Map.of()));
    MovableClock clock = new MovableClock();
    try (Main.Running other = TestServer.get().startAnother(Map.of(), clock)) {
      String id = image.getString("id");
      String body = "<p>见下图。</p><p><img src=\"/media/" + id + "\" alt=\"配图\"></p>";
      assertEquals(404, anonymous(other.port(), image.getString("url"), "GET", Map.of()).statusCode());

      publishDocument(new JsonObject().put("body", body));
      clock.advance(PublicAssets.REMEMBER_NOT_PUBLIC.plusSeconds(1));

      assertEquals(200, anonymous(other.port(), image.getString("url"), "GET", Map.of()).statusCode(),
        "an image in a published body is public too");
    }
  }

  @Test
  @DisplayName("a signed URL loads a draft without a token until it expires; an altered, moved or expired signature is a 404")
  void signedUrls() {
    byte[] png = pngBytes();
    JsonObject image = created(upload(editor, "送审.png", png, Map.of()));
    JsonObject other = created(upload(editor, "其他.pdf", Samples.pdf(), Map.of()));
    MovableClock clock = new MovableClock();
    try (Main.Running instance = TestServer.get().startAnother(Map.of(), clock)) {
      Client there = new Client(instance.port());
      Client.Response signed = there.post("/api/v1/assets/" + image.getString("id") + "/signed-url", editor,
        new JsonObject().put("ttlSeconds", 120));
      assertEquals(200, signed.status(), signed::toString);
      String url = signed.json().getString("url");
      String query = url.substring(url.indexOf('?'));
      String sig = query.substring(query.indexOf("sig=") + 4);
      String expires = query.substring(query.indexOf("expires=") + 8, query.indexOf('&'));
      assertTrue(url.startsWith(image.getString("url") + "?expires="), url);
      assertTrue(signed.json().getString("expiresAt").endsWith("+08:00"), signed::toString);

      HttpResponse<byte[]> loaded = anonymous(instance.port(), url, "GET", Map.of());
      assertEquals(200, loaded.statusCode());
      assertArrayEquals(png, loaded.body());
      assertEquals("private, no-store", header(loaded, "Cache-Control"));
      assertEquals(206, anonymous(instance.port(), url, "GET", Map.of("Range", "bytes=0-3")).statusCode());
      assertEquals(200, anonymous(instance.port(), signed.json().getString("thumbnailUrl"), "GET", Map.of()).statusCode());
      assertEquals(200, anonymous(url, "HEAD", Map.of()).statusCode(), "every instance accepts what one signed");

      String altered = image.getString("url") + "?expires=" + expires + "&sig=" + flipped(sig);
      String longer = image.getString("url") + "?expires=" + (Long.parseLong(expires) + 3600) + "&sig=" + sig;
      String moved = other.getString("url") + query;
      for (String refused : List.of(altered, longer, moved)) {
        assertEquals(404, anonymous(instance.port(), refused, "GET", Map.of()).statusCode(), refused);
      }
      clock.advance(Duration.ofSeconds(121));
      assertEquals(404, anonymous(instance.port(), url, "GET", Map.of()).statusCode(), "expired");
    }
  }

  @Test
  @DisplayName("a signed URL lives at most an hour: a longer or non-numeric ttlSeconds is 400; an unknown asset 404; no token 401")
  void signedUrlLimits() {
    String id = created(upload(editor, "a.pdf", Samples.pdf(), Map.of())).getString("id");
    String path = "/api/v1/assets/" + id + "/signed-url";

    Client.Response defaulted = client.post(path, editor, new JsonObject());
    assertEquals(200, defaulted.status(), defaulted::toString);
    assertNull(defaulted.json().getString("thumbnailUrl"), "a PDF has no thumbnail");
    assertEquals("invalid-body", client.post(path, editor, new JsonObject().put("ttlSeconds", 3601)).problemCode());
    assertEquals("invalid-body", client.post(path, editor, new JsonObject().put("ttlSeconds", "600")).problemCode());
    assertEquals(404, client.post("/api/v1/assets/" + AssetIds.newId() + "/signed-url", editor, new JsonObject()).status());
    assertEquals(401, client.post(path, null, new JsonObject()).status());
  }

  @Test
  @DisplayName("an asset stored earlier under a 24-hex ObjectId still loads for staff, and stays hidden from everyone else")
  void oldIdsStillWork() {
    JsonObject asset = created(upload(editor, "旧.pdf", Samples.pdf(), Map.of()));
    String oldId = new org.bson.types.ObjectId().toHexString();
    Document file = StoreAccess.first(StoreAccess.collection("media.files").find(eq("_id", asset.getString("id"))));
    Document chunk = StoreAccess.first(StoreAccess.collection("media.chunks").find(eq("files_id", asset.getString("id"))));
    file.put("_id", oldId);
    chunk.put("_id", new org.bson.types.ObjectId());
    chunk.put("files_id", oldId);
    StoreAccess.first(StoreAccess.collection("media.chunks").insertOne(chunk));
    StoreAccess.first(StoreAccess.collection("media.files").insertOne(file));

    assertEquals(200, MediaTest.get("/media/" + oldId, Map.of()).statusCode());
    assertEquals(200, client.get("/api/v1/assets/" + oldId, editor).status());
    assertEquals(404, anonymous("/media/" + oldId, "GET", Map.of()).statusCode());
  }

  // ---- helpers ----

  private static String reviewer() {
    return client.staffToken(admin, List.of("reviewer"), List.of(department), List.of());
  }

  /** A document of the test's department, with the given fields, taken through exemption, review and publication. */
  private static void publishDocument(JsonObject fields) {
    JsonObject body = new JsonObject().put("title", "新闻发布会实录").put("docNumber", "新办〔2026〕" + Client.unique() + "号")
      .put("issuer", "市人民政府新闻办公室").put("departmentId", department).put("category", "新闻发布")
      .put("body", "<p>发布会实录。</p>").mergeIn(fields);
    Client.Response created = client.post("/api/v1/documents", editor, body);
    assertEquals(201, created.status(), created::toString);
    String path = "/api/v1/documents/" + created.json().getString("id");
    assertEquals(200, client.post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "无需解读")).status());
    assertEquals(200, client.post(path + "/submit", editor, new JsonObject()).status());
    for (String reviewer : reviewers) {
      Client.Response approved = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve"));
      assertEquals(200, approved.status(), approved::toString);
    }
    Client.Response published = client.post(path + "/publish", editor, new JsonObject());
    assertEquals(200, published.status(), published::toString);
  }

  private static byte[] pngBytes() {
    try {
      return Samples.png(360, 240);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String etag(JsonObject asset) {
    return "\"" + asset.getString("sha256") + "\"";
  }

  private static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return more;
  }

  private static String flipped(String sig) {
    char last = sig.charAt(sig.length() - 1);
    return sig.substring(0, sig.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  /** A problem body without its instance path and request id, which differ by request. */
  private static JsonObject withoutRequestSpecifics(HttpResponse<byte[]> response) {
    JsonObject problem = new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    problem.remove("instance");
    problem.remove("requestId");
    return problem;
  }
}
