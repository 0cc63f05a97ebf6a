package io.govmedia.media;

import io.govmedia.platform.Times;
import org.bson.Document;

import java.time.Instant;

/** The stored bytes of an asset or of its thumbnail, as {@code /media} serves them: a GridFS file and its identity. */
record AssetFile(String id, long length, int chunkSize, Instant uploadedAt, String mime, String sha256, String filename) {

  static final String THUMBNAIL_KIND = "thumbnail";

  /** How many GridFS chunks hold the file. */
  int chunkCount() {
    return (int) ((length + chunkSize - 1) / chunkSize);
  }

  /** The length chunk {@code n} must have: every chunk is full but the last. */
  int chunkLength(int n) {
    return (int) Math.min(chunkSize, length - (long) n * chunkSize);
  }

  String etag() {
    return "\"" + sha256 + "\"";
  }

  static AssetFile from(Document d) {
    Document m = d.get("metadata", Document.class);
    return new AssetFile(d.getString("_id"), ((Number) d.get("length")).longValue(), ((Number) d.get("chunkSize")).intValue(),
      Times.instant(d.getDate("uploadDate")), m.getString("mime"), m.getString("sha256"), d.getString("filename"));
  }

  /** The GridFS file document of a thumbnail of {@code assetId}. */
  Document toThumbnailDocument(String assetId, int width, int height) {
    return new Document("_id", id).append("length", length).append("chunkSize", chunkSize)
      .append("uploadDate", Times.date(uploadedAt)).append("filename", filename)
      .append("metadata", new Document("kind", THUMBNAIL_KIND).append("assetId", assetId).append("mime", mime)
        .append("sha256", sha256).append("width", width).append("height", height));
  }
}
