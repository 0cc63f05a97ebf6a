package io.govmedia.inbox;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Clock;

import static com.mongodb.client.model.Filters.eq;

/**
 * Where each poller got to, per account and kind ({@code _id} = {@code accountId:kind}), in MongoDB so that any
 * instance carries on where another stopped. Only the lease holder writes a cursor, so a plain replace suffices.
 */
final class PollerCursors {

  private final MongoCollection<Document> cursors;
  private final Clock clock;

  PollerCursors(MongoDatabase db, Clock clock) {
    this.cursors = db.getCollection("inbox_cursors");
    this.clock = clock;
  }

  static String id(String accountId, String kind) {
    return accountId + ":" + kind;
  }

  /** The poller's own state ({@code sinceId}, or per-article positions); empty before the first poll. */
  Future<JsonObject> read(String id) {
    return Mongo.first(cursors.find(eq("_id", id)))
      .map(d -> d == null ? new JsonObject() : new JsonObject(d.get("state", Document.class).toJson()));
  }

  Future<Void> write(String id, JsonObject state) {
    Document document = new Document("_id", id).append("state", Document.parse(state.encode()))
      .append("updatedAt", Times.date(clock.instant()));
    return Mongo.first(cursors.replaceOne(eq("_id", id), document, new ReplaceOptions().upsert(true))).mapEmpty();
  }
}
