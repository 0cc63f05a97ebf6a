package io.govmedia.auth;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

/** A unit of the office (委办局, 科室). Departments form a tree through {@code parentId}. */
public record Department(String id, String name, String parentId, Instant createdAt, Instant updatedAt, long version) {

  static Department from(Document d) {
    return new Department(d.getString("_id"), d.getString("name"), d.getString("parentId"),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")), d.get("version", 0L));
  }

  Document toDocument() {
    return new Document("_id", id).append("name", name).append("parentId", parentId)
      .append("siblingKey", siblingKey(parentId, name))
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt)).append("version", version);
  }

  /** Two departments under one parent may not share a name; a unique index on this key enforces it. */
  static String siblingKey(String parentId, String name) {
    return (parentId == null ? "/" : parentId) + "/" + name;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("parentId", parentId).put("version", version)
      .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt));
  }

  JsonObject auditSummary() {
    return new JsonObject().put("name", name).put("parentId", parentId);
  }
}
