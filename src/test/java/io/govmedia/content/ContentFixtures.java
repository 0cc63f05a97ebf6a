package io.govmedia.content;

import io.govmedia.support.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One department with an editor and its reviewers (as many as the configured stages), and what posts are made
 * from: uploaded assets and published documents and interpretations, each taken through review like a user would.
 */
final class ContentFixtures {

  final Client client;
  final String admin;
  final String department;
  final String editor;
  final List<String> reviewers;

  ContentFixtures(Client client, String departmentName) {
    this.client = client;
    admin = client.adminToken();
    department = client.department(admin, departmentName, null);
    editor = client.staffToken(admin, List.of("editor"), List.of(department), List.of());
    JsonArray stages = create("/api/v1/documents", document("阶段探测")).getJsonObject("review").getJsonArray("stages");
    reviewers = java.util.stream.IntStream.range(0, stages.size())
      .mapToObj(i -> client.staffToken(admin, List.of("reviewer"), List.of(department), List.of())).toList();
  }

  JsonObject create(String path, JsonObject body) {
    Client.Response response = client.post(path, editor, body);
    assertEquals(201, response.status(), response::toString);
    return response.json();
  }

  JsonObject document(String title) {
    return new JsonObject().put("title", title).put("docNumber", "测〔2026〕" + (int) (Math.random() * 900 + 100) + "号")
      .put("issuer", "市人民政府办公室").put("departmentId", department).put("category", "综合政务")
      .put("body", "<p>为做好相关工作，制定本办法。</p>").put("issuedAt", "2026-03-01T09:00:00+08:00");
  }

  /** Submitted, approved at every stage and published; answers the id. */
  String publishedDocument(String title) {
    String id = create("/api/v1/documents", document(title)).getString("id");
    String path = "/api/v1/documents/" + id;
    ok(client.post(path + "/exemption", reviewers.get(0), new JsonObject().put("reason", "历史文件补录")));
    throughReview(path);
    ok(client.post(path + "/publish", editor, new JsonObject()));
    return id;
  }

  /** An interpretation of a published document, with the given form and assets, published. */
  String publishedInterpretation(String documentId, String title, String body, String form, List<String> assetIds) {
    String id = create("/api/v1/interpretations", new JsonObject().put("documentId", documentId).put("form", form)
      .put("title", title).put("body", body).put("assetIds", new JsonArray(assetIds))).getString("id");
    String path = "/api/v1/interpretations/" + id;
    throughReview(path);
    ok(client.post(path + "/publish", editor, new JsonObject()));
    return id;
  }

  /** Submitted and approved by one reviewer per stage: answers the item as approved. */
  JsonObject throughReview(String path) {
    ok(client.post(path + "/submit", editor, new JsonObject()));
    JsonObject item = null;
    for (String reviewer : reviewers) {
      item = ok(client.post(path + "/review", reviewer, new JsonObject().put("decision", "approve").put("comment", "同意")));
    }
    return item;
  }

  static JsonObject ok(Client.Response response) {
    assertEquals(200, response.status(), response::toString);
    return response.json();
  }

  String upload(String filename, byte[] file) {
    Client.Response response = client.upload("/api/v1/assets", editor, filename, file);
    assertEquals(201, response.status(), response::toString);
    return response.json().getString("id");
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
    return upload("cover.png", out.toByteArray());
  }

  /** A one-page PDF with its cross-reference table right. */
  String pdf() {
    String stream = "BT /F1 24 Tf 72 720 Td (Notice) Tj ET";
    String[] objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
    StringBuilder xref = new StringBuilder("xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < objects.length; i++) {
      xref.append(String.format("%010d 00000 n \n", pdf.length()));
      pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    int start = pdf.length();
    pdf.append(xref).append("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n").append(start).append("\n%%EOF\n");
    return upload("notice.pdf", pdf.toString().getBytes(StandardCharsets.ISO_8859_1));
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
}
