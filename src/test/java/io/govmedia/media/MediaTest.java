package io.govmedia.media;

import io.govmedia.media.AssetUploadTest.Samples;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Media: GET /media/{id} with caching and Range requests (as staff; see MediaAccessTest for who may load what)")
class MediaTest {

  static Client client;
  private static String staff;
  static byte[] video;
  static JsonObject asset;
  static String url;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    String admin = client.adminToken();
    String editor = client.staffToken(admin, List.of("editor"), List.of(), List.of());
    video = Samples.mp4(700_000);  // three GridFS chunks
    asset = AssetUploadTest.created(AssetUploadTest.upload(editor, "政策解读.mp4", video, Map.of()));
    url = asset.getString("url");
  }

  @Test
  @DisplayName("the whole file with its type, length, SHA-256 ETag, Accept-Ranges, and no caching of a draft's file")
  void whole() {
    HttpResponse<byte[]> response = get(url, Map.of("Accept-Encoding", "gzip"));

    assertEquals(200, response.statusCode());
    assertArrayEquals(video, response.body());
    assertEquals("video/mp4", header(response, "Content-Type"));
    assertEquals(String.valueOf(video.length), header(response, "Content-Length"));
    assertEquals("\"" + asset.getString("sha256") + "\"", header(response, "ETag"));
    assertEquals("private, no-store", header(response, "Cache-Control"));
    assertEquals("bytes", header(response, "Accept-Ranges"));
    assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    assertTrue(header(response, "Last-Modified").endsWith(" GMT"), header(response, "Last-Modified"));
    assertFalse(response.headers().firstValue("Content-Encoding").isPresent(), "media is never gzipped");
    assertTrue(header(response, "Content-Disposition").contains("UTF-8''%E6%94%BF"), header(response, "Content-Disposition"));
  }

  @Test
  @DisplayName("bytes=a-b answers 206 with exactly those bytes, also across a chunk boundary")
  void range() {
    assertPartial("bytes=100-199", 100, 199);
    assertPartial("bytes=261000-262000", 261_000, 262_000);  // chunks 0 and 1 (255 KiB = 261,120 bytes)
    assertPartial("bytes=0-0", 0, 0);
    assertPartial("bytes=500000-" + (video.length + 1000), 500_000, video.length - 1);
  }

  @Test
  @DisplayName("a suffix range bytes=-n answers the last n bytes, an open range bytes=a- everything from a")
  void suffixAndOpen() {
    assertPartial("bytes=-500", video.length - 500, video.length - 1);
    assertPartial("bytes=600000-", 600_000, video.length - 1);
    assertPartial("bytes=-" + (video.length * 2), 0, video.length - 1);
  }

  @Test
  @DisplayName("a range starting beyond the end is 416 with Content-Range bytes */size; a malformed or multi-range one gets the whole file")
  void unsatisfiable() {
    HttpResponse<byte[]> beyond = get(url, Map.of("Range", "bytes=" + video.length + "-"));
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */" + video.length, header(beyond, "Content-Range"));
    assertTrue(new String(beyond.body(), StandardCharsets.UTF_8).contains("range-not-satisfiable"));
    assertEquals(416, get(url, Map.of("Range", "bytes=-0")).statusCode());

    for (String ignored : List.of("bytes=0-10,20-30", "bytes=10-5", "items=0-10", "bytes=abc")) {
      HttpResponse<byte[]> whole = get(url, Map.of("Range", ignored));
      assertEquals(200, whole.statusCode(), ignored);
      assertEquals(video.length, whole.body().length, ignored);
    }
  }

  @Test
  @DisplayName("If-None-Match with the ETag answers 304 without a body; If-Range with another ETag gets the whole file")
  void conditional() {
    String etag = "\"" + asset.getString("sha256") + "\"";

    HttpResponse<byte[]> notModified = get(url, Map.of("If-None-Match", "\"other\", " + etag));
    assertEquals(304, notModified.statusCode());
    assertEquals(0, notModified.body().length);
    assertEquals(etag, header(notModified, "ETag"));
    assertEquals(200, get(url, Map.of("If-None-Match", "\"other\"")).statusCode());
    assertEquals(304, get(url, Map.of("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")).statusCode());

    assertEquals(206, get(url, Map.of("Range", "bytes=0-9", "If-Range", etag)).statusCode());
    assertEquals(200, get(url, Map.of("Range", "bytes=0-9", "If-Range", "\"stale\"")).statusCode());
  }

  @Test
  @DisplayName("HEAD answers the headers of GET, ranges too, without a body")
  void head() {
    HttpResponse<byte[]> head = send(url, "HEAD", Map.of());
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(video.length), header(head, "Content-Length"));
    assertEquals("video/mp4", header(head, "Content-Type"));
    assertEquals(0, head.body().length);

    HttpResponse<byte[]> partial = send(url, "HEAD", Map.of("Range", "bytes=10-19"));
    assertEquals(206, partial.statusCode());
    assertEquals("10", header(partial, "Content-Length"));
    assertEquals("bytes 10-19/" + video.length, header(partial, "Content-Range"));
  }

  @Test
  @DisplayName("an unknown or malformed id is a 404 problem; a video has no thumbnail")
  void notFound() {
    HttpResponse<byte[]> unknown = get("/media/" + "0".repeat(24), Map.of());
    assertEquals(404, unknown.statusCode());
    assertTrue(header(unknown, "Content-Type").startsWith("application/problem+json"));
    assertEquals(404, get("/media/..%2F..%2Fetc%2Fpasswd", Map.of()).statusCode());
    assertEquals(404, get(url + "/thumbnail", Map.of()).statusCode());
  }

  @Test
  @DisplayName("a thumbnail is served like its image: JPEG, its own ETag, ranges")
  void thumbnail() throws Exception {
    String editor = client.staffToken(client.adminToken(), List.of("editor"), List.of(), List.of());
    JsonObject image = AssetUploadTest.created(AssetUploadTest.upload(editor, "p.png", Samples.png(640, 640), Map.of()));

    HttpResponse<byte[]> thumbnail = get(image.getString("thumbnailUrl"), Map.of());

    assertEquals(200, thumbnail.statusCode());
    assertEquals("image/jpeg", header(thumbnail, "Content-Type"));
    assertEquals("\"" + Samples.sha256(thumbnail.body()) + "\"", header(thumbnail, "ETag"));
    HttpResponse<byte[]> firstBytes = get(image.getString("thumbnailUrl"), Map.of("Range", "bytes=0-2"));
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, firstBytes.body());
  }

  private static void assertPartial(String range, int start, int end) {
    HttpResponse<byte[]> response = get(url, Map.of("Range", range));
    assertEquals(206, response.statusCode(), range);
    assertEquals("bytes " + start + "-" + end + "/" + video.length, header(response, "Content-Range"), range);
    assertEquals(String.valueOf(end - start + 1), header(response, "Content-Length"), range);
    assertArrayEquals(Arrays.copyOfRange(video, start, end + 1), response.body(), range);
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** A member of staff's bearer header. */
  static synchronized String staff() {
    if (staff == null) {
      Client shared = TestServer.get().client();
      staff = "Bearer " + shared.staffToken(shared.adminToken(), List.of("reviewer"), List.of(), List.of());
    }
    return staff;
  }

  /** A GET as a member of staff. */
  static HttpResponse<byte[]> get(String path, Map<String, String> headers) {
    return send(path, "GET", headers);
  }

  /** As a member of staff. */
  static HttpResponse<byte[]> send(String path, String method, Map<String, String> headers) {
    Map<String, String> signedIn = new java.util.HashMap<>(headers);
    signedIn.put("Authorization", staff());
    return anonymous(path, method, signedIn);
  }

  static HttpResponse<byte[]> anonymous(String path, String method, Map<String, String> headers) {
    return anonymous(TestServer.get().client().port(), path, method, headers);
  }

  static HttpResponse<byte[]> anonymous(int port, String path, String method, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    try {
      return AssetUploadTest.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
