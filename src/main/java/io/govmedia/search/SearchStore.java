package io.govmedia.search;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Filters.regex;
import static com.mongodb.client.model.Projections.exclude;
import static com.mongodb.client.model.Projections.include;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;

/**
 * {@code search_entries}: one document per searchable entry, {@code _id} = kind:id, with its title and plain
 * text (the source every instance builds its in-memory index from), a {@code terms} array of its distinct
 * bigrams and words (single characters left out: a third of the size; a one-character query reads title and
 * text instead) for a multikey index on a real MongoDB, and {@code rev}, raised by every change, so that
 * instances applying changes in any order keep the newest. A removed entry stays as a tombstone with
 * {@code removed: true}, so a late, older put cannot bring it back and a reload sees the removal.
 */
final class SearchStore {

  static final String COLLECTION = "search_entries";

  /** An entry as stored: {@code removed} ones carry only kind, id, rev and updatedAt; old ones may lack status. */
  record Stored(String key, String kind, String id, String title, String text, String status, String departmentId,
                Instant updatedAt, int rev, boolean removed) {

    static Stored from(Document d) {
      return new Stored(d.getString("_id"), d.getString("kind"), d.getString("entryId"), d.getString("title"),
        d.getString("text"), d.getString("status"), d.getString("departmentId"), Times.instant(d.getDate("updatedAt")),
        d.getInteger("rev", 0), d.getBoolean("removed", false));
    }
  }

  private final MongoCollection<Document> entries;

  SearchStore(MongoDatabase db) {
    this.entries = db.getCollection(COLLECTION);
  }

  Future<Void> createIndexes() {
    return Mongo.speedUp("search entries", entries.createIndex(Indexes.ascending("terms")));
  }

  static String key(String kind, String id) {
    return kind + ":" + id;
  }

  /**
   * Stores the entry unless a newer one (a later {@code updatedAt}) is stored already; answers the new revision,
   * or null when the stored one was newer. Read, then write, each by {@code _id} alone: the embedded store uses
   * its index only for a filter on {@code _id} and nothing else, and scans (reading every entry) otherwise. So the
   * check is not atomic with the write: two puts of one entry racing on two instances within the same
   * milliseconds may leave the older; the entry's next put repairs it.
   */
  Future<Integer> put(SearchIndex.Entry entry, List<String> terms) {
    String key = key(entry.kind(), entry.id());
    Bson update = combine(set("kind", entry.kind()), set("entryId", entry.id()), set("title", entry.title()),
      set("text", entry.text()), set("status", entry.status()), set("departmentId", entry.departmentId()),
      set("updatedAt", Times.date(entry.updatedAt())), set("terms", terms), unset("removed"), inc("rev", 1));
    return Mongo.first(entries.find(eq("_id", key)).projection(include("updatedAt")).limit(1)).compose(stored -> {
      Instant storedAt = stored == null ? null : Times.instant(stored.getDate("updatedAt"));
      if (storedAt != null && storedAt.isAfter(entry.updatedAt())) {
        return Future.succeededFuture(null);
      }
      return Mongo.first(entries.findOneAndUpdate(eq("_id", key), update,
          new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER).projection(include("rev"))))
        .map(written -> written.getInteger("rev"));
    });
  }

  /** Leaves a tombstone; answers its revision, or null when nothing was stored under the key. */
  Future<Integer> remove(String kind, String id) {
    Bson update = combine(set("removed", true), unset("title"), unset("text"), unset("terms"), unset("status"),
      unset("departmentId"), inc("rev", 1));
    return Mongo.first(entries.findOneAndUpdate(eq("_id", key(kind, id)), update,
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(include("rev"))))
      .map(stored -> stored == null ? null : stored.getInteger("rev"));
  }

  Future<Stored> find(String key) {
    return Mongo.first(entries.find(eq("_id", key)).projection(exclude("terms")).limit(1))
      .map(found -> found == null ? null : Stored.from(found));
  }

  /** Every entry and tombstone, streamed in batches, for loading. */
  Publisher<Document> everything(int batchSize) {
    return entries.find().projection(exclude("terms")).batchSize(batchSize);
  }

  /**
   * The entries that may match a query, for answering before the in-memory index is loaded: those with any of
   * its bigrams and words (all of them when it has only one or two terms), or whose title or text holds one of
   * its single characters. Scans on the embedded store; uses the terms index on a real MongoDB.
   */
  Future<List<Stored>> candidates(List<String> terms, Set<String> kinds) {
    List<String> indexed = new ArrayList<>();
    List<Bson> anyOf = new ArrayList<>();
    for (String term : terms) {
      if (SearchTerms.isCharacter(term)) {
        anyOf.add(regex("title", Pattern.quote(term)));
        anyOf.add(regex("text", Pattern.quote(term)));
      } else {
        indexed.add(term);
      }
    }
    if (!indexed.isEmpty()) {
      anyOf.add(indexed.size() == terms.size() && terms.size() <= 2 ? com.mongodb.client.model.Filters.all("terms", indexed) : in("terms", indexed));
    }
    Bson filter = and(anyOf.size() == 1 ? anyOf.get(0) : or(anyOf), in("kind", kinds), eq("removed", null));
    return Mongo.all(entries.find(filter).projection(exclude("terms")).batchSize(500)).map(found -> found.stream().map(Stored::from).toList());
  }
}
