package io.govmedia.citizen;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the citizens' feed is made of, done as staff do it: one department with a mini-program account, an editor
 * and reviewers; published documents (each with a category of its own, so a test lists only its own articles),
 * interpretations, posts sent to the mini-program and withdrawn from it. A citizen signed in to the mini-program
 * reads it.
 */
public final class Newsroom {

  private static final SecureRandom RANDOM = new SecureRandom();

  final Client client;
  final String admin;
  final String department;
  final String miniapp;
  final String appId;
  final String editor;
  final List<String> reviewers;
  final String category;

  public Newsroom(Client client) {
    this.client = client;
    admin = client.adminToken();
    department = client.department(admin, "政策解读室", null);
    appId = "wx" + HexFormat.of().formatHex(bytes(8));
    Client.Response account = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "wechat_miniapp")
      .put("name", "市政府小程序" + Client.unique()).put("departmentId", department).put("appId", appId)
      .put("appSecret", HexFormat.of().formatHex(bytes(16))));
    assertEquals(201, account.status(), account::toString);
    miniapp = account.json().getString("id");
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of(miniapp));
    reviewers = List.of(client.staffToken(admin, List.of("reviewer"), List.of(department), List.of()),
      client.staffToken(admin, List.of("reviewer"), List.of(department), List.of()),
      client.staffToken(admin, List.of("reviewer"), List.of(department), List.of()));
    // letters only: a run of digits in a category could look like a mobile number to the content checks
    category = "分类" + Client.unique().chars().mapToObj(c -> String.valueOf((char) ('a' + c % 26)))
      .collect(java.util.stream.Collectors.joining());
  }

  /** A citizen's session token on this newsroom's mini-program. */
  String citizen(String openid) throws Exception {
    return Citizens.token(TestServer.get().running(), miniapp, appId, openid, null);
  }

  JsonObject documentBody(String title) {
    return new JsonObject().put("title", title).put("docNumber", "测〔2026〕" + (100 + RANDOM.nextInt(900)) + "号")
      .put("issuer", "市人民政府办公室").put("departmentId", department).put("category", category)
      .put("body", "<p>为做好相关工作，制定本办法。</p>").put("issuedAt", "2026-03-01T09:00:00+08:00");
  }

  /** A document (exempted from going with an interpretation) taken through review and published. */
  String publishedDocument(JsonObject body) {
    String id = created("/api/v1/documents", body);
    ok(client.post("/api/v1/documents/" + id + "/exemption", reviewers.get(0), new JsonObject().put("reason", "历史文件补录")));
    publish("/api/v1/documents/" + id);
    return id;
  }

  public String publishedDocument(String title) {
    return publishedDocument(documentBody(title));
  }

  /** An interpretation of a published document, published. */
  String publishedInterpretation(String documentId, String title, String form, List<String> assetIds) {
    String id = created("/api/v1/interpretations", new JsonObject().put("documentId", documentId).put("form", form)
      .put("title", title).put("body", "<p>" + title + "：政策要点一、要点二、要点三。</p>")
      .put("assetIds", new JsonArray(assetIds)));
    publish("/api/v1/interpretations/" + id);
    return id;
  }

  /** Through every review stage, then published by the editor. */
  void publish(String path) {
    throughReview(path);
    ok(client.post(path + "/publish", editor, new JsonObject()));
  }

  void throughReview(String path) {
    ok(client.post(path + "/submit", editor, new JsonObject()));
    for (String reviewer : reviewers) {
      Client.Response reviewed = client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve")
        .put("comment", "同意"));
      if (reviewed.status() == 409 && "not-in-review".equals(reviewed.problemCode())) {
        return;  // fewer stages configured than reviewers here
      }
      ok(reviewed);
    }
  }

  /** A post made from a published document, for the mini-program (and WeChat, with a cover), approved. */
  String approvedPost(String documentId, String title) {
    JsonObject body = new JsonObject().put("title", title).put("body", "<p>" + title + "：今日起开展意见征集。</p>")
      .put("departmentId", department).put("sourceId", documentId).put("miniapp", new JsonObject())
      .put("wechat", new JsonObject().put("title", title).put("author", "政策解读室").put("digest", "一图读懂" + title)
        .put("coverAssetId", image()).put("html", "<p>" + title + "：今日起开展意见征集。</p>"));
    String id = created("/api/v1/posts", body);
    throughReview("/api/v1/posts/" + id);
    return id;
  }

  /**
   * Scheduled on the mini-program now; answers the slot id once the scheduler has published it and the feed shows it
   * (the scheduler writes the slot, then updates the feed: an editor may see it published a moment before citizens).
   */
  String sendToMiniapp(String postId) throws Exception {
    Client.Response slot = client.post("/api/v1/posts/" + postId + "/slots", editor,
      new JsonObject().put("channel", "miniapp").put("accountId", miniapp));
    assertEquals(201, slot.status(), slot::toString);
    String slotId = slot.json().getString("id");
    awaitSlot(postId, slotId, "published");
    String reader = citizen("o-newsroom-" + Client.unique());
    awaitTrue(() -> client.get("/mp/v1/feed?accountId=" + miniapp, reader).text().contains(postId), "post in the feed");
    return slotId;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  void withdraw(String postId, String slotId) {
    ok(client.post("/api/v1/posts/" + postId + "/slots/" + slotId + "/withdraw", editor,
      new JsonObject().put("reason", "内容需更新")));
  }

  private void awaitSlot(String postId, String slotId, String status) {
    awaitTrue(() -> client.get("/api/v1/posts/" + postId + "/slots", editor).items().stream()
      .map(JsonObject.class::cast)
      .anyMatch(slot -> slot.getString("id").equals(slotId) && status.equals(slot.getString("status"))),
      "slot " + slotId + " " + status);
  }

  String created(String path, JsonObject body) {
    Client.Response response = client.post(path, editor, body);
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }

  static JsonObject ok(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  String image() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    image.setRGB(3, 3, 0xC8102E);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return upload("chart.png", out.toByteArray());
  }

  String upload(String filename, byte[] file) {
    Client.Response response = client.upload("/api/v1/assets", editor, filename, file);
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
  }


  /** An MP4's boxes: ftyp, a little media data, moov with an mvhd. */
  String video() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(box("ftyp", "isom\0\0\2\0isomiso2avc1mp41".getBytes(StandardCharsets.ISO_8859_1)));
    out.writeBytes(box("mdat", new byte[4096]));
    out.writeBytes(box("moov", box("mvhd", new byte[100])));
    return upload("talk.mp4", out.toByteArray());
  }

  private static byte[] box(String type, byte[] payload) {
    java.nio.ByteBuffer box = java.nio.ByteBuffer.allocate(8 + payload.length);
    box.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(payload);
    return box.array();
  }

  /** The feed of this newsroom's category (its own articles only), as the citizen reads it. */
  Client.Response feed(String citizen, String query) {
    return client.get("/mp/v1/feed?category=" + java.net.URLEncoder.encode(category, StandardCharsets.UTF_8)
      + (query.isEmpty() ? "" : "&" + query), citizen);
  }

  /** The path part of an absolute media URL, to load it from the test server. */
  static String path(String url) {
    return url.replaceFirst("^https?://[^/]+", "");
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
