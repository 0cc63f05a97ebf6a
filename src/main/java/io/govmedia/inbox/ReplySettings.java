package io.govmedia.inbox;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

import static com.mongodb.client.model.Filters.eq;

/**
 * A department's reply settings ({@code inbox_reply_settings}, {@code _id} = the department): whether its replies
 * wait for review by a head or a supervisor before they go out. No document: no review.
 */
final class ReplySettings {

  record Settings(String departmentId, boolean review, String updatedBy, Instant updatedAt) {
    JsonObject toJson() {
      return new JsonObject().put("departmentId", departmentId).put("review", review).put("updatedBy", updatedBy)
        .put("updatedAt", Times.show(updatedAt));
    }
  }

  private final MongoCollection<Document> settings;

  ReplySettings(MongoDatabase db) {
    this.settings = db.getCollection("inbox_reply_settings");
  }

  Future<Settings> of(String departmentId) {
    if (departmentId == null) {
      return Future.succeededFuture(new Settings(null, false, null, null));
    }
    return Mongo.first(settings.find(eq("_id", departmentId))).map(d -> d == null
      ? new Settings(departmentId, false, null, null)
      : new Settings(departmentId, d.getBoolean("review", false), d.getString("updatedBy"),
        Times.instant(d.getDate("updatedAt"))));
  }

  Future<Settings> save(Settings value) {
    Document d = new Document("_id", value.departmentId()).append("review", value.review())
      .append("updatedBy", value.updatedBy()).append("updatedAt", Times.date(value.updatedAt()));
    return Mongo.first(settings.replaceOne(eq("_id", value.departmentId()), d, new ReplaceOptions().upsert(true)))
      .map(value);
  }
}
