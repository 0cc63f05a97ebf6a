package io.govmedia.search;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;

import java.time.Instant;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Projections.exclude;
import static com.mongodb.client.model.Projections.include;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;

/**
 * {@code search_entries}: one document per searchable entry, {@code _id} = kind:id, with its title and plain text
 * (what every instance's Lucene index is built from), {@code rev}, raised by every change, so that instances applying
 * changes in any order keep the newest, and {@code changedAt}, the writer's time of the change, from which an
 * instance catches up on what it missed. A removed entry stays as a tombstone with {@code removed: true}, so a late,
 * older put cannot bring it back and a catch-up sees the removal. {@code citizens}: a post shown on the mini-program
 * (set by publishing, kept across the post's edits).
 *
 * <p>{@code search_meta} holds the database's epoch, a random id made once: an index on disk built from another
 * database (or from this one before it was emptied) has another epoch and is built again.
 */
final class SearchStore {

  static final String COLLECTION = "search_entries";

  /** An entry as stored: {@code removed} ones carry only kind, id, rev and times; old ones may lack status. */
  record Stored(String key, String kind, String id, String title, String text, String status, String departmentId,
                Instant updatedAt, int rev, boolean removed, boolean citizens) {

    static Stored from(Document d) {
      return new Stored(d.getString("_id"), d.getString("kind"), d.getString("entryId"), d.getString("title"),
        d.getString("text"), d.getString("status"), d.getString("departmentId"), Times.instant(d.getDate("updatedAt")),
        d.getInteger("rev", 0), d.getBoolean("removed", false), d.getBoolean("citizens", false));
    }
  }

  private final MongoCollection<Document> entries;
  private final MongoCollection<Document> meta;

  SearchStore(MongoDatabase db) {
    this.entries = db.getCollection(COLLECTION);
    this.meta = db.getCollection("search_meta");
  }

  /** For a real MongoDB's catch-up queries (the embedded store scans whatever the indexes). */
  Future<Void> createIndexes() {
    return Mongo.speedUp("search entries", entries.createIndex(Indexes.ascending("changedAt")));
  }

  static String key(String kind, String id) {
    return kind + ":" + id;
  }

  /** The database's epoch, made by whichever instance asks first. */
  Future<String> epoch() {
    return storedEpoch().compose(stored -> stored != null ? Future.succeededFuture(stored)
      : Mongo.first(meta.insertOne(new Document("_id", "epoch").append("value", Ids.newId())))
        .<Void>mapEmpty()
        .recover(failure -> Mongo.isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .compose(v -> storedEpoch()));
  }

  private Future<String> storedEpoch() {
    return Mongo.first(meta.find(eq("_id", "epoch")).limit(1)).map(found -> found == null ? null : found.getString("value"));
  }

  /**
   * Stores the entry unless a newer one (a later {@code updatedAt}) is stored already; answers it as stored, or null
   * when the stored one was newer. Read, then write, each by {@code _id} alone: the embedded store uses its index
   * only for a filter on {@code _id} and nothing else. So the check is not atomic with the write: two puts of one
   * entry racing on two instances within the same milliseconds may leave the older; the entry's next put repairs it.
   */
  Future<Stored> put(SearchIndex.Entry entry) {
    String key = key(entry.kind(), entry.id());
    Bson update = combine(set("kind", entry.kind()), set("entryId", entry.id()), set("title", entry.title()),
      set("text", entry.text()), set("status", entry.status()), set("departmentId", entry.departmentId()),
      set("updatedAt", Times.date(entry.updatedAt())), changed(), unset("removed"), unset("terms"), inc("rev", 1));
    return Mongo.first(entries.find(eq("_id", key)).projection(include("updatedAt")).limit(1)).compose(stored -> {
      Instant storedAt = stored == null ? null : Times.instant(stored.getDate("updatedAt"));
      if (storedAt != null && storedAt.isAfter(entry.updatedAt())) {
        return Future.succeededFuture(null);
      }
      return written(eq("_id", key), update, true);
    });
  }

  /** Leaves a tombstone; answers it, or null when nothing was stored under the key. */
  Future<Stored> remove(String kind, String id) {
    return written(eq("_id", key(kind, id)), combine(set("removed", true), unset("title"), unset("text"),
      unset("terms"), unset("status"), unset("departmentId"), changed(), inc("rev", 1)), false);
  }

  /** Marks whether citizens find the entry (a post on the mini-program); null when there is no such entry. */
  Future<Stored> showToCitizens(String kind, String id, boolean shown) {
    return written(eq("_id", key(kind, id)), combine(set("citizens", shown), changed(), inc("rev", 1)), false);
  }

  Future<Stored> find(String key) {
    return Mongo.first(entries.find(eq("_id", key)).projection(exclude("terms")).limit(1))
      .map(found -> found == null ? null : Stored.from(found));
  }

  /** Every entry and tombstone changed at or after {@code since} (all when null), streamed in batches. */
  Publisher<Document> changedSince(Instant since, int batchSize) {
    Bson filter = since == null ? new Document() : gte("changedAt", Times.date(since));
    return entries.find(filter).projection(exclude("terms")).batchSize(batchSize);
  }

  private Future<Stored> written(Bson filter, Bson update, boolean upsert) {
    return Mongo.first(entries.findOneAndUpdate(filter, update, new FindOneAndUpdateOptions().upsert(upsert)
        .returnDocument(ReturnDocument.AFTER).projection(exclude("terms"))))
      .map(stored -> stored == null ? null : Stored.from(stored));
  }

  /**
   * The writer's wall-clock time, not the server's (possibly moved) clock: catching up compares it with the times
   * this and other instances have heard each other, with a margin for skew between their clocks.
   */
  private static Bson changed() {
    return set("changedAt", new java.util.Date());
  }
}
