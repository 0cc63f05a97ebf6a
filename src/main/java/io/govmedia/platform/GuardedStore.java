package io.govmedia.platform;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

/**
 * Documents written without transactions and without a filter naming more than {@code _id} (the embedded store
 * scans on one): every change is guarded by an insert, a claim {@code {_id: id:seq, next}} first (a duplicate key
 * means someone else changed the document since it was read), then the document replaced by {@code _id} with
 * {@code seq + 1}. A claim whose {@code next} never reached the document (its writer died between the two writes)
 * is rolled forward by whoever reads the document with {@link #find} after {@code rollForwardAfter}.
 *
 * <p>A roll-forward replaces by {@code _id} alone, like every write here: should a second writer complete a change
 * between a reader's look at a dead claim and its roll-forward, that change is overwritten. It needs a writer dead
 * for longer than {@code rollForwardAfter} and two live ones racing on the same document; accepted, and said here.
 *
 * @param <T> the record the documents hold; {@link Codec} maps it
 */
public final class GuardedStore<T> {

  /** How a record is stored: its id, its write sequence, and its document. */
  public interface Codec<T> {
    String id(T record);

    long seq(T record);

    T withSeq(T record, long seq);

    Document toDocument(T record);

    T from(Document document);
  }

  /** A change as written: {@code after} is {@code before} when there was nothing to do. */
  public record Moved<T>(T before, T after) {
    public boolean changed() {
      return before != after;
    }
  }

  /** The document changed since it was read: someone else's write came first. */
  public static final class Changed extends RuntimeException {
    Changed() {
      super("changed since read", null, false, false);
    }
  }

  /**
   * How many of a record's latest claims are kept: a writer whose read is older than that many writes could claim
   * and overwrite (a read held across a slow call, such as a delivery, is the one that gets old).
   */
  static final long KEPT_CLAIMS = 16;

  private final MongoCollection<Document> documents;
  private final MongoCollection<Document> claims;
  private final Codec<T> codec;
  private final Clock clock;
  private final Duration rollForwardAfter;
  private final GroupInsert inserts;
  private final GroupInsert claimWrites;
  private volatile BiConsumer<T, T> rolledForward = (before, after) -> { };

  public GuardedStore(MongoCollection<Document> documents, MongoCollection<Document> claims, Codec<T> codec,
                      Clock clock, Duration rollForwardAfter) {
    this.documents = documents;
    this.claims = claims;
    this.codec = codec;
    this.clock = clock;
    this.rollForwardAfter = rollForwardAfter;
    // Writes of many records travel together (one commit on the embedded store for a batch): new records and
    // replacements in one stream (a replacement is only sent once its record exists), claims and the removal of
    // claims no longer needed in another.
    this.inserts = new GroupInsert(documents, 500, 2);
    this.claimWrites = new GroupInsert(claims, 500, 2);
  }

  /** Told of each claim rolled forward, so that what follows a write (Redis sets, events) follows it too. */
  public void onRollForward(BiConsumer<T, T> listener) {
    rolledForward = listener;
  }

  /** Inserts a new record (grouped with concurrent inserts); false when its id is taken. */
  public Future<Boolean> insert(T record) {
    return inserts.insert(codec.toDocument(record)).map(outcome -> outcome == GroupInsert.Outcome.INSERTED);
  }

  /** The record as it stands, a claim left behind by a dead writer rolled forward; null when unknown. */
  public Future<T> find(String id) {
    return written(id).compose(found -> found == null ? Future.succeededFuture(null) : rollForward(found));
  }

  /** The record as last written, without looking for a claim left behind (one read less): for lists. */
  public Future<T> written(String id) {
    return Mongo.first(documents.find(eq("_id", id))).map(d -> d == null ? null : codec.from(d));
  }

  /** Records by id as last written, in no particular order; the store answers {@code _id $in} from its index. */
  public Future<List<T>> written(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Mongo.all(documents.find(in("_id", ids))).map(docs -> docs.stream().map(codec::from).toList());
  }

  private Future<T> rollForward(T record) {
    return Mongo.first(claims.find(eq("_id", claimId(record)))).compose(claim -> {
      if (claim == null || Times.instant(claim.getDate("at")).plus(rollForwardAfter).isAfter(clock.instant())) {
        return Future.succeededFuture(record);
      }
      Document next = claim.get("next", Document.class);
      T after = codec.from(next);
      return Mongo.first(documents.replaceOne(eq("_id", codec.id(record)), next)).map(r -> {
        rolledForward.accept(record, after);
        return after;
      });
    });
  }

  /**
   * Writes {@code after} over {@code before} unless someone changed the document since {@code before} was read:
   * then it fails with {@link Changed}. The previous claim is no longer needed and is removed on the way.
   */
  public Future<T> move(T before, T after, String by) {
    T next = codec.withSeq(after, codec.seq(before) + 1);
    Document claim = new Document("_id", claimId(before)).append("next", codec.toDocument(next)).append("by", by)
      .append("at", Times.date(clock.instant()));
    return claimWrites.insert(claim)
      .compose(claimed -> claimed == GroupInsert.Outcome.DUPLICATE ? Future.failedFuture(new Changed())
        : inserts.replaceClaimed(codec.id(before), codec.toDocument(next)))
      .map(replaced -> {
        if (codec.seq(before) >= KEPT_CLAIMS) {
          // Only the claim on the current seq is looked for, but the recent ones are what refuses a writer still
          // holding an older read (its claim would be a duplicate): removing the previous claim at once let such a
          // writer, stale by two writes, claim and overwrite newer versions. The last KEPT_CLAIMS stay.
          claimWrites.delete(codec.id(before) + ":" + (codec.seq(before) - KEPT_CLAIMS));
        }
        return next;
      });
  }

  /**
   * Reads the record, applies {@code change} and moves it, again on a fresh read when someone else's write came
   * first (up to {@code attempts} times): {@code change} sees the state it changes, so a rule it checks holds.
   * {@code change} answering null means "nothing to do"; null when there is no such record.
   */
  public Future<Moved<T>> update(String id, Function<T, T> change, String by, int attempts) {
    return find(id).compose(before -> {
      if (before == null) {
        return Future.succeededFuture(null);
      }
      T after = change.apply(before);
      if (after == null) {
        return Future.succeededFuture(new Moved<>(before, before));
      }
      return move(before, after, by).map(next -> new Moved<>(before, next)).recover(failure -> failure instanceof Changed && attempts > 1
        ? update(id, change, by, attempts - 1)
        : Future.failedFuture(failure));
    });
  }

  public static boolean isChanged(Throwable failure) {
    return failure instanceof Changed;
  }

  private String claimId(T record) {
    return codec.id(record) + ":" + codec.seq(record);
  }
}
