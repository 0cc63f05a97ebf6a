package io.govmedia.publishing;

import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * One live slot per post and account: two editors scheduling the same post on the same account at the same moment
 * would otherwise both pass a query and send it twice. The place is a document whose {@code _id} names the post and
 * the account, inserted before the slot and removed when the slot stops being live (cancelled, failed, missed,
 * withdrawn) — an insert is atomic and indexed on both stores. A place left by a slot that is no longer live (its
 * release was lost in a crash) is taken over.
 */
final class SlotPlaces {

  /**
   * A place is taken before its slot is written: until then its slot is not found, which is not a sign of a crash.
   * Only a place this old whose slot still does not exist was left by a request that died.
   */
  static final Duration UNWRITTEN_AFTER = Duration.ofMinutes(1);

  private final MongoCollection<Document> places;
  private final Clock clock;

  SlotPlaces(MongoDatabase db, Clock clock) {
    this.places = db.getCollection("slot_places");
    this.clock = clock;
  }

  /**
   * Takes the place of {@code slotId}; a place held by the same slot is kept. {@code holder} loads the slot holding
   * it now: a live one means 409 {@code already-scheduled}.
   */
  Future<Void> take(String postId, String accountId, String slotId, Function<String, Future<Slot>> holder) {
    return take(postId, accountId, slotId, holder, true);
  }

  private Future<Void> take(String postId, String accountId, String slotId, Function<String, Future<Slot>> holder,
                            boolean firstTry) {
    String id = id(postId, accountId);
    return Mongo.first(places.insertOne(new Document("_id", id).append("slotId", slotId)
        .append("at", Times.date(clock.instant())))).<Void>mapEmpty()
      .recover(failure -> {
        if (!Mongo.isDuplicateKey(failure)) {
          return Future.failedFuture(failure);
        }
        return Mongo.first(places.find(eq("_id", id))).compose(place -> {
          String held = place == null ? null : place.getString("slotId");
          if (slotId.equals(held)) {
            return Future.succeededFuture();
          }
          Future<Slot> current = held == null ? Future.succeededFuture(null) : holder.apply(held);
          return current.compose(slot -> {
            if (slot != null && SlotStatus.LIVE.contains(slot.status())) {
              return Future.failedFuture(Problem.conflict("already-scheduled", "该稿件已在此账号排期或发布",
                "请先取消原排期，或修改原排期的时间。").with("slotId", slot.id()));
            }
            // a place whose slot is not written yet belongs to a request still under way (another editor's)
            if (!firstTry || slot == null && beingWritten(place)) {
              return Future.failedFuture(Problem.conflict("already-scheduled", "该稿件正在此账号排期", "请刷新后重试。"));
            }
            // only this holder's place is taken over: another taker may have replaced it meanwhile
            return Mongo.first(places.deleteOne(held == null ? eq("_id", id) : and(eq("_id", id), eq("slotId", held))))
              .compose(v -> take(postId, accountId, slotId, holder, false));
          });
        });
      });
  }

  /** Gives the place up if this slot holds it (only its holder can: nobody else could insert it meanwhile). */
  Future<Void> release(Slot slot) {
    String id = id(slot.postId(), slot.accountId());
    return Mongo.first(places.find(eq("_id", id))).compose(place -> place != null
      && slot.id().equals(place.getString("slotId"))
      ? Mongo.first(places.deleteOne(eq("_id", id))).<Void>mapEmpty() : Future.<Void>succeededFuture());
  }

  private boolean beingWritten(Document place) {
    Instant at = place == null ? null : Times.instant(place.getDate("at"));
    return at != null && at.plus(UNWRITTEN_AFTER).isAfter(clock.instant());
  }

  private static String id(String postId, String accountId) {
    return postId + ":" + accountId;
  }
}
