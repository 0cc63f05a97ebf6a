package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

/**
 * A canned reply (常用答复) repliers start a reply from: a department's own ({@code departmentId}) or office-wide
 * (null), optionally for one category of case.
 */
record CannedReply(String id, String departmentId, String title, String text, Category category, String createdBy,
                   Instant createdAt, Instant updatedAt, long version) {

  static final int TITLE_MAX = 100;
  static final int TEXT_MAX = 2_000;

  CannedReply edited(String newTitle, String newText, Category newCategory, Instant at) {
    return new CannedReply(id, departmentId, newTitle, newText, newCategory, createdBy, createdAt, at, version + 1);
  }

  Document toDocument() {
    return new Document("_id", id).append("departmentId", departmentId).append("title", title).append("text", text)
      .append("category", category == null ? null : category.wire()).append("createdBy", createdBy)
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt)).append("version", version);
  }

  static CannedReply from(Document d) {
    return new CannedReply(d.getString("_id"), d.getString("departmentId"), d.getString("title"), d.getString("text"),
      d.getString("category") == null ? null : Category.parse(d.getString("category")).orElse(null),
      d.getString("createdBy"), Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
      d.get("version", 0L));
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("departmentId", departmentId).put("title", title).put("text", text)
      .put("category", category == null ? null : category.wire()).put("createdBy", createdBy)
      .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt)).put("version", version);
  }

  JsonObject auditSummary() {
    return new JsonObject().put("departmentId", departmentId).put("title", title)
      .put("category", category == null ? null : category.wire());
  }
}
