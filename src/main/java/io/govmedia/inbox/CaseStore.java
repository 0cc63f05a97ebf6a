package io.govmedia.inbox;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.GroupInsert;
import io.govmedia.platform.GuardedStore;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.eq;

/**
 * Cases in MongoDB, the truth: found by {@code _id} alone and changed through {@link GuardedStore} (claims in
 * {@code case_claims}). Lists never query this collection: they page through {@link CaseIndex}'s Redis sets and read
 * the page's cases by {@code _id}. {@code case_sources} holds one document per channel message accepted
 * ({@code _id} = its source id): the insert that makes intake idempotent.
 */
public final class CaseStore {

  /** How many times a change is tried again on a fresh read when another write came first. */
  static final int ATTEMPTS = 8;

  private final GuardedStore<Case> cases;
  private final MongoCollection<Document> documents;
  private final MongoCollection<Document> sources;
  private final GroupInsert sourceInserts;

  CaseStore(MongoDatabase db, Clock clock) {
    this.documents = db.getCollection("cases");
    this.sources = db.getCollection("case_sources");
    this.sourceInserts = new GroupInsert(sources, 500, 2);
    this.cases = new GuardedStore<>(documents, db.getCollection("case_claims"), new GuardedStore.Codec<>() {
      @Override
      public String id(Case record) {
        return record.id();
      }

      @Override
      public long seq(Case record) {
        return record.version();
      }

      @Override
      public Case withSeq(Case record, long seq) {
        return record.withVersion(seq);
      }

      @Override
      public Document toDocument(Case record) {
        return record.toDocument();
      }

      @Override
      public Case from(Document document) {
        return Case.from(document);
      }
    }, clock, Duration.ofSeconds(5));
  }

  void onRollForward(java.util.function.BiConsumer<Case, Case> listener) {
    cases.onRollForward(listener);
  }

  /** True when inserted; false when the id is taken (a repeat of the same intake). */
  Future<Boolean> insert(Case c) {
    return cases.insert(c);
  }

  public Future<Case> find(String id) {
    return cases.find(id);
  }

  Future<List<Case>> written(Collection<String> ids) {
    return cases.written(ids);
  }

  /** Applies {@code change} to the case as it stands (re-read and re-applied when another write came first). */
  public Future<GuardedStore.Moved<Case>> update(String id, Function<Case, Case> change, String by) {
    return cases.update(id, change, by, ATTEMPTS);
  }

  /**
   * Writes {@code after} over {@code before} as read or written by the caller, without reading the case again; fails
   * with {@link GuardedStore.Changed} when another write came first (then {@link #update} re-reads and re-applies).
   */
  Future<Case> move(Case before, Case after, String by) {
    return cases.move(before, after, by);
  }

  /** A source accepted: what intake decided for it. */
  record Source(String sourceId, String caseId, String plan, Instant at) {
  }

  /** Records that {@code sourceId} goes to {@code caseId}; false when it was recorded before (by this or another try). */
  Future<Boolean> claimSource(String sourceId, String caseId, String plan, Instant at) {
    return sourceInserts.insert(new Document("_id", sourceId).append("caseId", caseId).append("plan", plan)
      .append("at", Times.date(at))).map(outcome -> outcome == GroupInsert.Outcome.INSERTED);
  }

  Future<Source> source(String sourceId) {
    return Mongo.first(sources.find(eq("_id", sourceId))).map(d -> d == null ? null
      : new Source(d.getString("_id"), d.getString("caseId"), d.getString("plan"), Times.instant(d.getDate("at"))));
  }

  /**
   * Every case, with only the {@code projection}'s fields, for rebuilding the Redis sets: one read of the whole
   * collection (no filter, so no index is needed), kept small by the projection. It may take longer than the 10 s
   * every other operation is allowed (100,000 cases on the embedded store under load: more), so it gets minutes.
   */
  Future<Long> forEach(Document projection, Consumer<Document> each) {
    return Mongo.all(documents.withTimeout(5, TimeUnit.MINUTES).find().projection(projection).batchSize(5_000))
      .map(docs -> {
        docs.forEach(each);
        return (long) docs.size();
      });
  }
}
