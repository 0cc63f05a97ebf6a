package io.govmedia.media;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

/**
 * A media file in the shared library: its GridFS file document ({@code media.files}), with what the library knows
 * about it under {@code metadata}. The document is written only once every chunk is stored and checked, so an
 * asset that can be found is whole.
 *
 * @param width  pixels, for images; null otherwise
 * @param thumbnailId the GridFS file of its JPEG thumbnail, or null (not an image, or WebP, which ImageIO cannot read)
 */
public record Asset(String id, AssetFormat format, long size, int chunkSize, String filename, String title,
                   String departmentId, String sha256, Integer width, Integer height, String thumbnailId,
                   AuditLog.Actor createdBy, Instant createdAt) {

  static final String KIND = "asset";
  /** An image a citizen sent with a message: served like any asset, but not in the office's library. */
  static final String CITIZEN_KIND = "citizen-image";

  public AssetType type() {
    return format.type();
  }

  /**
   * Where it loads, relative to the server's public address: for anyone once published content uses it, else with
   * a staff token or as a signed URL ({@link MediaLinks}).
   */
  public String url() {
    return "/media/" + id;
  }

  /** Where a list page ends: its upload time and id, as {@link AssetStore#list} continues from it. */
  String cursor() {
    return createdAt.toEpochMilli() + "." + id;
  }

  AssetFile file() {
    return new AssetFile(id, size, chunkSize, createdAt, format.mime(), sha256, filename);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("type", type().wire()).put("format", format.wire())
      .put("mime", format.mime()).put("size", size).put("url", url()).put("filename", filename).put("title", title)
      .put("departmentId", departmentId).put("sha256", sha256).put("width", width).put("height", height)
      .put("thumbnailUrl", thumbnailId == null ? null : url() + "/thumbnail")
      .put("wechatFit", format.wechatFit(size))
      .put("createdAt", Times.show(createdAt))
      .put("createdBy", new JsonObject().put("id", createdBy.id()).put("username", createdBy.username()));
  }

  Document toDocument() {
    Document metadata = new Document("kind", KIND).append("type", type().wire()).append("format", format.wire())
      .append("mime", format.mime()).append("sha256", sha256).append("title", title).append("departmentId", departmentId)
      .append("width", width).append("height", height).append("thumbnailId", thumbnailId)
      .append("createdBy", new Document("id", createdBy.id()).append("username", createdBy.username()));
    return new Document("_id", id).append("length", size).append("chunkSize", chunkSize)
      .append("uploadDate", Times.date(createdAt)).append("filename", filename).append("metadata", metadata);
  }

  static Asset from(Document d) {
    Document m = d.get("metadata", Document.class);
    Document by = m.get("createdBy", Document.class);
    return new Asset(d.getString("_id"), AssetFormat.parse(m.getString("format")).orElseThrow(),
      ((Number) d.get("length")).longValue(), ((Number) d.get("chunkSize")).intValue(), d.getString("filename"),
      m.getString("title"), m.getString("departmentId"), m.getString("sha256"), m.getInteger("width"),
      m.getInteger("height"), m.getString("thumbnailId"), new AuditLog.Actor(by.getString("id"), by.getString("username")),
      Times.instant(d.getDate("uploadDate")));
  }
}
