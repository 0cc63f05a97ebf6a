package io.govmedia.publishing;

import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.GroupInsert;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

/**
 * Slots in MongoDB, the truth. The embedded store has no transactions and scans on a filter naming more than
 * {@code _id}, so every write is guarded by an insert: a claim {@code {_id: slotId:seq, next}} first (a duplicate
 * key means someone else moved the slot first), then the slot replaced by {@code _id} with {@code seq + 1}. A claim
 * whose {@code next} never reached the slot (its writer died between the two writes) is rolled forward by whoever
 * reads the slot after {@link #ROLL_FORWARD_AFTER}.
 *
 * <p>Concurrent moves (a burst of due slots) travel together: their claims in one insert, then their slots in one
 * bulk replace ({@link GroupInsert}), each a single commit on the embedded store instead of one per slot. A claim
 * refused in such a batch fails only its own move.
 */
final class SlotStore {

  /** Longer than any writer takes between its two writes, so that a live writer is never overtaken. */
  static final Duration ROLL_FORWARD_AFTER = Duration.ofSeconds(5);

  private final MongoCollection<Document> slots;
  private final MongoCollection<Document> claims;
  private final GroupInsert claimWrites;
  private final GroupInsert slotWrites;
  private final Clock clock;
  private volatile java.util.function.BiConsumer<Slot, Slot> rolledForward = (before, after) -> { };

  SlotStore(MongoDatabase db, Clock clock) {
    this.slots = db.getCollection("slots");
    this.claims = db.getCollection("slot_claims");
    this.claimWrites = new GroupInsert(claims, 500, 2);
    this.slotWrites = new GroupInsert(slots, 500, 2);
    this.clock = clock;
  }

  Future<Void> createIndexes() {
    // the calendar's range on at; the scans by post and status are rare (a post's page, start-up, the sweep)
    return Mongo.speedUp("slots", slots.createIndex(Indexes.ascending("at")));
  }

  /** Told of each claim rolled forward, so that what follows a write (Redis sets, events) follows it too. */
  void onRollForward(java.util.function.BiConsumer<Slot, Slot> listener) {
    rolledForward = listener;
  }

  Future<Slot> insert(Slot slot) {
    return Mongo.first(slots.insertOne(slot.toDocument())).map(slot);
  }

  /** The slot as it stands, a claim left behind by a dead writer rolled forward; null when unknown. */
  Future<Slot> find(String id) {
    return Mongo.first(slots.find(eq("_id", id))).compose(d -> d == null
      ? Future.succeededFuture(null)
      : rollForward(Slot.from(d)));
  }

  /**
   * The slots as last written, by id (unknown ones left out), without looking for a claim left behind (one read
   * less): for the due path, whose guarded move fails on such a claim and then reads the slot with {@link #find},
   * rolling it forward.
   */
  Future<java.util.Map<String, Slot>> written(Collection<String> ids) {
    // the filter names only _id, so the embedded store answers it from its index
    return Mongo.all(slots.find(in("_id", ids))).map(docs -> {
      java.util.Map<String, Slot> found = new java.util.HashMap<>();
      docs.forEach(d -> found.put(d.getString("_id"), Slot.from(d)));
      return found;
    });
  }

  private Future<Slot> rollForward(Slot slot) {
    return Mongo.first(claims.find(eq("_id", claimId(slot)))).compose(claim -> {
      if (claim == null || Times.instant(claim.getDate("at")).plus(ROLL_FORWARD_AFTER).isAfter(clock.instant())) {
        return Future.succeededFuture(slot);
      }
      Document next = claim.get("next", Document.class);
      Slot after = Slot.from(next);
      return slotWrites.replace(slot.id(), next).map(r -> {
        rolledForward.accept(slot, after);
        return after;
      });
    });
  }

  /**
   * Writes {@code after} over {@code before} unless someone moved the slot since {@code before} was read: then it
   * fails with 409 {@code slot-changed} (editors see it; the scheduler skips the slot).
   */
  Future<Slot> move(Slot before, Slot after, String by) {
    Slot next = after.withSeq(before.seq() + 1);
    Document claim = new Document("_id", claimId(before)).append("next", next.toDocument()).append("by", by)
      .append("at", Times.date(clock.instant()));
    return claimWrites.insert(claim)
      .compose(outcome -> outcome == GroupInsert.Outcome.DUPLICATE ? Future.failedFuture(changed())
        : slotWrites.replace(before.id(), next.toDocument()))
      .map(next);
  }

  static boolean isChanged(Throwable failure) {
    return failure instanceof Problem p && "slot-changed".equals(p.code());
  }

  private static Problem changed() {
    return Problem.conflict("slot-changed", "排期已被他人或系统更改", "请刷新后重试。");
  }

  private static String claimId(Slot slot) {
    return slot.id() + ":" + slot.seq();
  }

  Future<List<Slot>> ofPost(String postId) {
    return many(eq("postId", postId));
  }

  Future<List<Slot>> inStatus(Collection<SlotStatus> statuses) {
    return many(in("status", statuses.stream().map(SlotStatus::wire).toList()));
  }

  /**
   * Slots whose editor's time is in [from, to), of one account when named: the calendar. At most {@code limit},
   * earliest first, so that a busy range never loads every slot into memory.
   */
  Future<List<Slot>> between(Instant from, Instant to, String accountId, int limit) {
    org.bson.conversions.Bson range = and(gte("at", Times.date(from)), lt("at", Times.date(to)));
    org.bson.conversions.Bson filter = accountId == null ? range : and(range, eq("accountId", accountId));
    return Mongo.all(slots.find(filter).sort(new Document("at", 1).append("_id", 1)).limit(limit))
      .map(docs -> docs.stream().map(Slot::from).toList());
  }

  private Future<List<Slot>> many(org.bson.conversions.Bson filter) {
    return Mongo.all(slots.find(filter).sort(new Document("at", 1).append("_id", 1)))
      .map(docs -> docs.stream().map(Slot::from).toList());
  }
}
