package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Sorts.descending;

/**
 * {@code public_replies}: one per disclosed case ({@code _id} = the case id, so a second request for the same case
 * meets the first). Lists read the collection newest case first; it holds the disclosed cases only (a small share
 * of all cases), so a list page is a short read even where the embedded store scans.
 */
final class PublicReplyStore {

  private final MongoCollection<Document> replies;

  PublicReplyStore(MongoDatabase db) {
    this.replies = db.getCollection("public_replies");
  }

  Future<PublicReply> find(String id) {
    return Mongo.first(replies.find(eq("_id", id))).map(d -> d == null ? null : PublicReply.from(d));
  }

  /** Inserts the first request for a case; a duplicate key means another request came first (409). */
  Future<PublicReply> insert(PublicReply reply) {
    return Mongo.first(replies.insertOne(reply.toDocument())).map(reply)
      .recover(failure -> Future.failedFuture(Mongo.isDuplicateKey(failure) ? changed() : failure));
  }

  /** Replaces it unless someone changed it since {@code before} was read. */
  Future<PublicReply> replace(PublicReply before, PublicReply after) {
    return Mongo.first(replies.replaceOne(and(eq("_id", before.id()), eq("version", before.version())),
        after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1 ? Future.succeededFuture(after) : Future.failedFuture(changed()));
  }

  /** Newest case first, after the cursor's; {@code limit + 1} of them. Null departments: every department. */
  Future<List<PublicReply>> list(PublicReply.Status status, Collection<String> departments, String before, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (status != null) {
      filters.add(eq("status", status.wire()));
    }
    if (departments != null) {
      filters.add(in("departmentId", departments));
    }
    if (before != null) {
      filters.add(lt("_id", before));
    }
    Bson filter = filters.isEmpty() ? new Document() : and(filters);
    return Mongo.all(replies.find(filter).sort(descending("_id")).limit(limit + 1))
      .map(docs -> docs.stream().map(PublicReply::from).toList());
  }

  private static Problem changed() {
    return Problem.conflict("edit-conflict", "公开申请已被他人更改", "请刷新后重试。");
  }
}
