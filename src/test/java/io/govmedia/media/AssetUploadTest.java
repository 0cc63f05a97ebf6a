package io.govmedia.media;

import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.gridfs.GridFSBuckets;
import io.govmedia.support.Client;
import io.govmedia.support.StoreAccess;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Media assets: uploads")
class AssetUploadTest {

  static Client client;
  static String admin;
  static String editor;
  static MongoClient mongo;

  @BeforeAll
  static void start() {
    client = TestServer.get().client();
    admin = client.adminToken();
    editor = client.staffToken(admin, List.of("editor"), List.of(), List.of());
    mongo = MongoClients.create(TestServer.get().mongoUri());
  }

  @AfterAll
  static void stop() {
    mongo.close();
  }

  @Test
  @DisplayName("an editor uploads a JPEG: 201 with id, type, size and url, its SHA-256, dimensions, a thumbnail and WeChat's verdict")
  void jpeg() throws Exception {
    byte[] jpeg = Samples.jpeg(800, 600);

    Client.Response created = upload(editor, "政策图解.jpg", jpeg, Map.of("title", "2026 年民生实事图解"));

    assertEquals(201, created.status(), created::toString);
    JsonObject asset = created.json();
    assertTrue(asset.getString("id").matches("[A-Za-z0-9_-]{22}"), asset::encode);
    assertEquals("image", asset.getString("type"));
    assertEquals("image/jpeg", asset.getString("mime"));
    assertEquals(jpeg.length, asset.getLong("size"));
    assertEquals("/media/" + asset.getString("id"), asset.getString("url"));
    assertEquals("政策图解.jpg", asset.getString("filename"));
    assertEquals("2026 年民生实事图解", asset.getString("title"));
    assertEquals(Samples.sha256(jpeg), asset.getString("sha256"));
    assertEquals(800, asset.getInteger("width"));
    assertEquals(600, asset.getInteger("height"));
    assertEquals(asset.getString("url") + "/thumbnail", asset.getString("thumbnailUrl"));
    assertNotNull(asset.getString("createdAt"));
    assertNotNull(asset.getJsonObject("createdBy").getString("username"));
    JsonObject fit = asset.getJsonObject("wechatFit");
    assertTrue(fit.getBoolean("wechatMaterial"), fit::encode);
    assertEquals("image", fit.getString("materialType"));
    assertNull(fit.getString("reason"));

    Client.Response shown = client.get("/api/v1/assets/" + asset.getString("id"), admin);
    assertEquals(200, shown.status(), shown::toString);
    assertEquals(asset, shown.json());
  }

  @Test
  @DisplayName("PNG, GIF and WebP are images; the first two get a JPEG thumbnail of at most 320 px, WebP none but its dimensions")
  void otherImages() throws Exception {
    JsonObject png = created(upload(editor, "chart.png", Samples.png(1000, 400), Map.of()));
    JsonObject gif = created(upload(editor, "动图.gif", Samples.gif(120, 90), Map.of()));
    JsonObject webp = created(upload(editor, "photo.webp", Samples.webp(300, 200), Map.of()));

    assertEquals(List.of("image", "image/png", 1000, 400), List.of(png.getString("type"), png.getString("mime"),
      png.getInteger("width"), png.getInteger("height")));
    assertEquals(List.of("image", "image/gif", 120, 90), List.of(gif.getString("type"), gif.getString("mime"),
      gif.getInteger("width"), gif.getInteger("height")));
    assertEquals(List.of("image", "image/webp", 300, 200), List.of(webp.getString("type"), webp.getString("mime"),
      webp.getInteger("width"), webp.getInteger("height")));
    assertNull(webp.getString("thumbnailUrl"));
    assertFalse(webp.getJsonObject("wechatFit").getBoolean("wechatMaterial"));
    assertTrue(webp.getJsonObject("wechatFit").getString("reason").contains("WebP"));

    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(MediaTest.get(png.getString("thumbnailUrl"), Map.of()).body()));
    assertEquals(320, thumbnail.getWidth());
    assertEquals(128, thumbnail.getHeight());
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(MediaTest.get(gif.getString("thumbnailUrl"), Map.of()).body()));
    assertEquals(120, small.getWidth(), "an image smaller than 320 px keeps its size");
  }

  @Test
  @DisplayName("video, audio and PDF: a complete MP4, an MP3 with an ID3 tag, an AMR voice note and a PDF are each typed by their bytes")
  void otherTypes() {
    JsonObject mp4 = created(upload(editor, "发布会.mp4", Samples.mp4(300_000), Map.of()));
    JsonObject mp3 = created(upload(editor, "解读.mp3", Samples.mp3(), Map.of()));
    JsonObject amr = created(upload(editor, "voice.amr", Samples.amr(), Map.of()));
    JsonObject pdf = created(upload(editor, "通知.pdf", Samples.pdf(), Map.of()));

    assertEquals(List.of("video", "video/mp4"), List.of(mp4.getString("type"), mp4.getString("mime")));
    assertEquals(List.of("audio", "audio/mpeg"), List.of(mp3.getString("type"), mp3.getString("mime")));
    assertEquals(List.of("audio", "audio/amr"), List.of(amr.getString("type"), amr.getString("mime")));
    assertEquals(List.of("pdf", "application/pdf"), List.of(pdf.getString("type"), pdf.getString("mime")));
    for (JsonObject asset : List.of(mp4, mp3, amr, pdf)) {
      assertNull(asset.getString("thumbnailUrl"));
      assertNull(asset.getInteger("width"));
    }
    assertEquals("voice", mp3.getJsonObject("wechatFit").getString("materialType"));
    assertFalse(pdf.getJsonObject("wechatFit").getBoolean("wechatMaterial"));
  }

  @Test
  @DisplayName("the type comes from the bytes, not the name: a PNG called x.pdf is an image, a PDF called x.jpg a PDF")
  void typeByBytes() throws Exception {
    JsonObject png = created(upload(editor, "x.pdf", Samples.png(40, 40), Map.of()));
    JsonObject pdf = created(upload(editor, "x.jpg", Samples.pdf(), Map.of()));

    assertEquals("image", png.getString("type"));
    assertEquals("image/png", png.getString("mime"));
    assertEquals("pdf", pdf.getString("type"));
    assertEquals("application/pdf", MediaTest.get(pdf.getString("url"), Map.of()).headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  @DisplayName("WeChat's verdict names the limit: a 12 MB video is stored but is no WeChat video material; a small JPEG may be a thumb")
  void wechatFit() throws Exception {
    JsonObject video = created(upload(editor, "long.mp4", Samples.mp4(12 * 1024 * 1024), Map.of()));
    JsonObject thumb = created(upload(editor, "cover.jpg", Samples.jpeg(64, 64), Map.of()));

    JsonObject fit = video.getJsonObject("wechatFit");
    assertFalse(fit.getBoolean("wechatMaterial"), fit::encode);
    assertEquals("超过微信视频素材 10MB 上限", fit.getString("reason"));
    assertTrue(thumb.getJsonObject("wechatFit").getBoolean("thumbMaterial"));
  }

  @Test
  @DisplayName("what is stored is plain GridFS: the driver's GridFSBucket on \"media\" reads the same bytes back")
  void gridFsCompatible() {
    byte[] pdf = Samples.pdf(700_000);
    JsonObject asset = created(upload(editor, "big.pdf", pdf, Map.of()));

    ByteArrayOutputStream read = new ByteArrayOutputStream();
    for (ByteBuffer buffer : StoreAccess.all(GridFSBuckets.create(mongo.getDatabase("govmedia_test"), "media")
      .downloadToPublisher(new BsonString(asset.getString("id"))))) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      read.writeBytes(bytes);
    }
    assertArrayEquals(pdf, read.toByteArray());
    assertEquals(3, chunkNumbers(asset.getString("id")).size(), "700,000 bytes in 255 KiB chunks");
  }

  @Test
  @DisplayName("the list shows newest first, filters by type and pages; a department that does not exist is refused")
  void listAndFields() {
    String department = client.department(admin, "宣传科", null);
    String editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    JsonObject first = created(upload(editor, "a.mp3", Samples.mp3(), Map.of("departmentId", department, "title", "")));
    JsonObject second = created(upload(editor, "b.mp3", Samples.mp3(), Map.of("departmentId", department)));
    assertEquals(department, first.getString("departmentId"));
    assertEquals("a.mp3", first.getString("title"), "an empty title falls back to the file name");

    Client.Response page = client.get("/api/v1/assets?type=audio&limit=1", editor);
    assertEquals(200, page.status(), page::toString);
    assertEquals(second.getString("id"), page.items().getJsonObject(0).getString("id"));
    Client.Response next = client.get("/api/v1/assets?type=audio&limit=1&cursor=" + page.json().getString("next"), editor);
    assertEquals(first.getString("id"), next.items().getJsonObject(0).getString("id"));
    JsonArray images = client.get("/api/v1/assets?type=image&limit=200", editor).items();
    images.forEach(item -> assertEquals("image", ((JsonObject) item).getString("type")));
    assertEquals(400, client.get("/api/v1/assets?type=exe", editor).status());

    Client.Response unknown = upload(editor, "c.mp3", Samples.mp3(), Map.of("departmentId", "0".repeat(24)));
    assertEquals(400, unknown.status(), unknown::toString);
    assertEquals("unknown-department", unknown.problemCode());
    Client.Response malformed = upload(editor, "c.mp3", Samples.mp3(), Map.of("departmentId", "../x"));
    assertEquals("invalid-body", malformed.problemCode());
    AssetBadInputTest.assertNothingHalfStored();
  }

  @Test
  @DisplayName("an editor files an asset under their own department or one below it, not under another department (403, nothing stored); an admin under any")
  void departmentOfAnUpload() {
    String office = client.department(admin, "办公室", null);
    String section = client.department(admin, "秘书科", office);
    String other = client.department(admin, "财政局", null);
    String officeEditor = client.staffToken(admin, List.of("editor"), List.of(office), List.of());

    assertEquals(section, created(upload(officeEditor, "a.pdf", Samples.pdf(), Map.of("departmentId", section)))
      .getString("departmentId"));
    Client.Response refused = upload(officeEditor, "b.pdf", Samples.pdf(), Map.of("departmentId", other, "title", "别部门的素材"));
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    assertFalse(client.get("/api/v1/assets?limit=200", admin).items().stream()
      .anyMatch(item -> "别部门的素材".equals(((JsonObject) item).getString("title"))), "nothing of it listed");
    AssetBadInputTest.assertNothingHalfStored();
    assertEquals(other, created(upload(admin, "c.pdf", Samples.pdf(), Map.of("departmentId", other))).getString("departmentId"));
  }

  @Test
  @DisplayName("a reviewer may look at the library but not upload (403); without a token 401; the connection serves the next request")
  void roles() {
    String reviewer = client.staffToken(admin, List.of("reviewer"), List.of(), List.of());
    JsonObject asset = created(upload(editor, "a.pdf", Samples.pdf(), Map.of()));

    Client.Response refused = upload(reviewer, "b.pdf", Samples.pdf(), Map.of());
    assertEquals(403, refused.status(), refused::toString);
    assertEquals("forbidden", refused.problemCode());
    Client.Response anonymous = upload(null, "b.pdf", Samples.pdf(), Map.of());
    assertEquals(401, anonymous.status(), anonymous::toString);

    assertEquals(200, client.get("/api/v1/assets/" + asset.getString("id"), reviewer).status());
    assertEquals(200, client.get("/api/v1/assets", reviewer).status());
    assertEquals(403, client.raw("DELETE", "/api/v1/assets/" + asset.getString("id"), editor, null, null).status());
  }

  @Test
  @DisplayName("an admin deletes an asset: 204, /media answers 404, and its chunks and thumbnail are gone")
  void delete() throws Exception {
    JsonObject asset = created(upload(editor, "del.png", Samples.png(500, 500), Map.of()));
    String id = asset.getString("id");
    Document stored = StoreAccess.first(StoreAccess.collection("media.files").find(eq("_id", id)));
    String thumbnailId = stored.get("metadata", Document.class).getString("thumbnailId");
    assertFalse(chunkNumbers(id).isEmpty());
    assertFalse(chunkNumbers(thumbnailId).isEmpty());

    assertEquals(204, client.raw("DELETE", "/api/v1/assets/" + id, admin, null, null).status());

    assertEquals(404, MediaTest.get("/media/" + id, Map.of()).statusCode(), "not even for staff");
    assertEquals(404, client.get("/api/v1/assets/" + id, admin).status());
    assertTrue(chunkNumbers(id).isEmpty());
    assertTrue(chunkNumbers(thumbnailId).isEmpty());
    assertNull(StoreAccess.first(StoreAccess.collection("media.files").find(eq("_id", thumbnailId))));
    assertEquals(404, client.raw("DELETE", "/api/v1/assets/" + id, admin, null, null).status());
  }

  @Test
  @DisplayName("an infographic interpretation attaches an uploaded image by its id; an id that names no asset is refused")
  void attachedToInterpretations() throws Exception {
    String department = client.department(admin, "住建局", null);
    String writer = client.staffToken(admin, List.of("editor"), List.of(department), List.of()); // 谁起草谁解读
    Client.Response document = client.post("/api/v1/documents", writer, new JsonObject().put("title", "老旧小区改造办法")
      .put("docNumber", "建城〔2026〕" + (100 + new Random().nextInt(800)) + "号").put("issuer", "市住房和城乡建设局")
      .put("departmentId", department).put("category", "住房保障").put("body", "<p>为规范老旧小区改造工作，制定本办法。</p>"));
    assertEquals(201, document.status(), document::toString);
    JsonObject image = created(upload(editor, "图解.png", Samples.png(200, 100), Map.of()));
    JsonObject interpretation = new JsonObject().put("documentId", document.json().getString("id")).put("form", "infographic")
      .put("title", "一图读懂老旧小区改造").put("body", "<p>一图读懂。</p>");

    Client.Response attached = client.post("/api/v1/interpretations", writer,
      interpretation.copy().put("assetIds", new JsonArray().add(image.getString("id"))));
    Client.Response unknown = client.post("/api/v1/interpretations", writer,
      interpretation.copy().put("assetIds", new JsonArray().add("0".repeat(24))));

    assertEquals(201, attached.status(), attached::toString);
    assertEquals("unknown-asset", unknown.problemCode(), unknown::toString);

    Client.Response delete = client.raw("DELETE", "/api/v1/assets/" + image.getString("id"), admin, null, null);
    assertEquals(409, delete.status(), "an image an interpretation uses cannot be deleted from under it");
    assertEquals("asset-in-use", delete.problemCode());
    assertEquals(200, client.get("/media/" + image.getString("id"), editor).status());
  }

  // ---- helpers shared with the other media tests ----

  static JsonObject created(Client.Response response) {
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  /** The chunk numbers stored for a file id. */
  static Set<Integer> chunkNumbers(String fileId) {
    Set<Integer> numbers = new HashSet<>();
    StoreAccess.all(StoreAccess.collection("media.chunks").find(eq("files_id", fileId)).projection(Projections.include("n")))
      .forEach(d -> numbers.add(d.getInteger("n")));
    return numbers;
  }

  static Client.Response upload(String token, String filename, byte[] file, Map<String, String> fields) {
    return upload(token, filename, () -> new ByteArrayInputStream(file), fields);
  }

  /** POST /api/v1/assets with a multipart body streamed from {@code file}: the test never holds a big file whole. */
  static Client.Response upload(String token, String filename, Supplier<InputStream> file, Map<String, String> fields) {
    String boundary = "----govmedia" + Client.unique();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestServer.get().client().port() + "/api/v1/assets"))
      .timeout(Duration.ofSeconds(30))
      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(boundary, fields, filename, file.get())));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Client.Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A multipart/form-data body: the text fields, then the file in the field "file". */
  static InputStream multipart(String boundary, Map<String, String> fields, String filename, InputStream file) {
    StringBuilder before = new StringBuilder();
    new LinkedHashMap<>(fields).forEach((name, value) -> before.append("--").append(boundary).append("\r\n")
      .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
    before.append("--").append(boundary).append("\r\n")
      .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(filename).append("\"\r\n")
      .append("Content-Type: application/octet-stream\r\n\r\n");
    String after = "\r\n--" + boundary + "--\r\n";
    return new SequenceInputStream(java.util.Collections.enumeration(List.of(
      new ByteArrayInputStream(before.toString().getBytes(StandardCharsets.UTF_8)), file,
      new ByteArrayInputStream(after.getBytes(StandardCharsets.UTF_8)))));
  }

  /** Small, real files of every format, made here. */
  static final class Samples {

    static byte[] jpeg(int width, int height) throws IOException {
      return image("jpeg", width, height, BufferedImage.TYPE_INT_RGB);
    }

    static byte[] png(int width, int height) throws IOException {
      return image("png", width, height, BufferedImage.TYPE_INT_ARGB);
    }

    static byte[] gif(int width, int height) throws IOException {
      return image("gif", width, height, BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] image(String format, int width, int height, int type) throws IOException {
      BufferedImage image = new BufferedImage(width, height, type);
      Graphics2D g = image.createGraphics();
      g.setPaint(new GradientPaint(0, 0, new Color(200, 16, 46), width, height, new Color(255, 215, 0)));
      g.fillRect(0, 0, width, height);
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
      return out.toByteArray();
    }

    /** A lossless WebP header (VP8L) with the given canvas, its RIFF length right; the pixel data is not real. */
    static byte[] webp(int width, int height) {
      byte[] payload = new byte[64];
      payload[0] = 0x2F;
      int bits = (width - 1) | (height - 1) << 14;
      payload[1] = (byte) bits;
      payload[2] = (byte) (bits >> 8);
      payload[3] = (byte) (bits >> 16);
      payload[4] = (byte) (bits >> 24);
      ByteBuffer riff = ByteBuffer.allocate(20 + payload.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + payload.length).put("WEBP".getBytes(StandardCharsets.US_ASCII))
        .put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
      return riff.array();
    }

    /** ftyp, a media-data box of {@code mediaBytes} pseudo-random bytes, then moov with an mvhd: a whole MP4's boxes. */
    static byte[] mp4(int mediaBytes) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(box("ftyp", concat("isom".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 2, 0},
        "isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII))));
      byte[] media = new byte[mediaBytes];
      new Random(mediaBytes).nextBytes(media);
      out.writeBytes(box("mdat", media));
      out.writeBytes(box("moov", box("mvhd", new byte[100])));
      return out.toByteArray();
    }

    /** An ID3v2.3 tag (empty) and MPEG-1 layer III frames, 128 kbit/s at 44.1 kHz (417 bytes each). */
    static byte[] mp3() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0});
      for (int i = 0; i < 20; i++) {
        byte[] frame = new byte[417];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB;
        frame[2] = (byte) 0x90;
        frame[3] = 0x64;
        out.writeBytes(frame);
      }
      return out.toByteArray();
    }

    /** The AMR-NB magic and 50 frames of 12.2 kbit/s (one second). */
    static byte[] amr() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes("#!AMR\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 50; i++) {
        byte[] frame = new byte[32];
        frame[0] = 0x3C;
        out.writeBytes(frame);
      }
      return out.toByteArray();
    }

    static byte[] pdf() {
      return pdf(0);
    }

    /** A one-page PDF with a line of text; {@code padding} bytes of a comment make it as big as wanted. */
    static byte[] pdf(int padding) {
      String stream = "BT /F1 24 Tf 72 720 Td (Policy notice) Tj ET";
      StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
      List<Integer> offsets = new java.util.ArrayList<>();
      String[] objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
      for (int i = 0; i < objects.length; i++) {
        offsets.add(pdf.length());
        pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
      }
      if (padding > 0) {
        Random random = new Random(padding);
        for (int i = 0; i < padding / 64; i++) {
          pdf.append('%');
          for (int j = 0; j < 62; j++) {
            pdf.append((char) ('a' + random.nextInt(26)));
          }
          pdf.append('\n');
        }
      }
      int xref = pdf.length();
      pdf.append("xref\n0 6\n0000000000 65535 f \n");
      offsets.forEach(offset -> pdf.append(String.format("%010d 00000 n \n", offset)));
      pdf.append("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
      return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] box(String type, byte[] content) {
      return concat(ByteBuffer.allocate(8).putInt(8 + content.length).put(type.getBytes(StandardCharsets.US_ASCII)).array(),
        content);
    }

    static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        out.writeBytes(part);
      }
      return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
  }
}
