package io.govmedia.content;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

/** One line of an item's history: who did what to which version, at which stage, with which comment. */
record HistoryEntry(Instant at, AuditLog.Actor actor, String action, long version, Integer stage, String comment) {

  /** Whether the entry's actor wrote the version: authors may not review it. */
  boolean authored() {
    return "edited".equals(action) || "created".equals(action);
  }

  Document toDocument() {
    return new Document("at", Times.date(at)).append("actorId", actor.id()).append("actorName", actor.username())
      .append("action", action).append("version", version).append("stage", stage).append("comment", comment);
  }

  static HistoryEntry from(Document d) {
    return new HistoryEntry(Times.instant(d.getDate("at")), new AuditLog.Actor(d.getString("actorId"),
      d.getString("actorName")), d.getString("action"), d.get("version", Number.class).longValue(),
      d.getInteger("stage"), d.getString("comment"));
  }

  JsonObject toJson() {
    return new JsonObject().put("at", Times.show(at))
      .put("actor", new JsonObject().put("id", actor.id()).put("username", actor.username()))
      .put("action", action).put("version", version).put("stage", stage).put("comment", comment);
  }
}
