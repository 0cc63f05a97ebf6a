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
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Sorts.ascending;

/**
 * Canned replies ({@code canned_replies}): a few hundred at most, office-wide and per department, so a list reads
 * the ones in reach directly (a scan on the embedded store, of a small collection).
 */
final class CannedReplyStore {

  private final MongoCollection<Document> replies;

  CannedReplyStore(MongoDatabase db) {
    this.replies = db.getCollection("canned_replies");
  }

  Future<CannedReply> insert(CannedReply reply) {
    return Mongo.first(replies.insertOne(reply.toDocument())).map(reply);
  }

  Future<CannedReply> find(String id) {
    return Mongo.first(replies.find(eq("_id", id))).map(d -> d == null ? null : CannedReply.from(d));
  }

  /**
   * Office-wide ones and those of {@code departments} (all when {@code everything}), in creation order after the
   * cursor; {@code limit + 1} of them, so the page knows whether there is more.
   */
  Future<List<CannedReply>> list(boolean everything, Collection<String> departments, String departmentId,
                                 Category category, String after, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (departmentId != null) {
      filters.add(eq("departmentId", departmentId));
    } else if (!everything) {
      List<String> reach = new ArrayList<>(departments);
      reach.add(null);
      filters.add(in("departmentId", reach));
    }
    if (category != null) {
      filters.add(eq("category", category.wire()));
    }
    if (after != null) {
      filters.add(gt("_id", after));
    }
    Bson filter = filters.isEmpty() ? new Document() : and(filters);
    return Mongo.all(replies.find(filter).sort(ascending("_id")).limit(limit + 1))
      .map(docs -> docs.stream().map(CannedReply::from).toList());
  }

  /** Replaces it unless someone changed it since {@code before} was read. */
  Future<CannedReply> replace(CannedReply before, CannedReply after) {
    return Mongo.first(replies.replaceOne(and(eq("_id", before.id()), eq("version", before.version())),
        after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1 ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  Future<Void> delete(CannedReply reply) {
    return Mongo.first(replies.deleteOne(eq("_id", reply.id()))).mapEmpty();
  }
}
