package io.govmedia.platform;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Sorts.ascending;
import static com.mongodb.client.model.Sorts.descending;

/**
 * Append-only, hash-chained record of every state-changing staff action. Each entry's hash is an HMAC (under a
 * key derived from the master key) over its fields and the previous entry's hash, so editing or deleting any
 * stored entry breaks the chain from there on, and someone with write access to the database but not the key
 * cannot recompute it. A separate head record remembers the newest entry, so cutting entries off the end is
 * detected too. Entries are numbered; the number is the document id, so two instances appending at once cannot
 * both take the same place: the loser re-reads the head and tries again.
 */
public final class AuditLog {

  public static final String GENESIS = "0".repeat(64);
  private static final int MAX_ATTEMPTS = 50;
  private static final int VERIFY_BATCH = 1000;

  public record Actor(String id, String username) {
    public static final Actor SYSTEM = new Actor("system", "system");
  }

  public record Entry(long seq, Instant at, String actorId, String actorName, String action, String targetType,
                      String targetId, String before, String after, String requestId, String prevHash, String hash) {

    String computeHash(byte[] key) {
      JsonArray fields = new JsonArray().add(seq).add(at.toString()).add(actorId).add(actorName).add(action)
        .add(targetType).add(targetId).add(before).add(after).add(requestId).add(prevHash);
      return hmac(key, fields.encode());
    }

    Document toDocument() {
      return new Document("_id", seq).append("at", at.toString()).append("actorId", actorId)
        .append("actorName", actorName).append("action", action).append("targetType", targetType)
        .append("targetId", targetId).append("before", before).append("after", after)
        .append("requestId", requestId).append("prevHash", prevHash).append("hash", hash);
    }

    static Entry from(Document d) {
      return new Entry(((Number) d.get("_id")).longValue(), Instant.parse(d.getString("at")), d.getString("actorId"),
        d.getString("actorName"), d.getString("action"), d.getString("targetType"), d.getString("targetId"),
        d.getString("before"), d.getString("after"), d.getString("requestId"), d.getString("prevHash"),
        d.getString("hash"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", String.valueOf(seq)).put("seq", seq).put("at", Times.show(at))
        .put("actor", new JsonObject().put("id", actorId).put("username", actorName))
        .put("action", action).put("targetType", targetType).put("targetId", targetId)
        .put("before", before == null ? null : new JsonObject(before))
        .put("after", after == null ? null : new JsonObject(after))
        .put("requestId", requestId).put("hash", hash);
    }
  }

  public record Verification(boolean ok, long checked, String firstBrokenId) {
    public JsonObject toJson() {
      return new JsonObject().put("ok", ok).put("checked", checked).put("firstBrokenId", firstBrokenId);
    }
  }

  private static final String HEAD_ID = "head";

  private final MongoCollection<Document> entries;
  private final MongoCollection<Document> heads;
  private final byte[] key;
  private final Clock clock;
  private final AtomicReference<Entry> head = new AtomicReference<>();

  /** {@code key}: the chain's HMAC key, derived from the master key. */
  public AuditLog(MongoDatabase db, byte[] key, Clock clock) {
    this.entries = db.getCollection("audit_log");
    this.heads = db.getCollection("audit_head");
    this.key = key.clone();
    this.clock = clock;
  }

  /** Appends one entry; {@code before} and {@code after} are summaries that must hold no secret. */
  public Future<Entry> append(Actor actor, String action, String targetType, String targetId,
                              JsonObject before, JsonObject after, String requestId) {
    Draft draft = new Draft(actor, action, targetType, targetId, before == null ? null : before.encode(),
      after == null ? null : after.encode(), requestId);
    return currentHead().compose(latest -> attempt(draft, latest, 1));
  }

  public Future<List<Entry>> list(Page page) {
    var filter = page.cursor() == null ? new Document() : lt("_id", Long.parseLong(page.cursor()));
    return Mongo.all(entries.find(filter).sort(descending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Entry::from).toList());
  }

  /** Walks the whole chain in order, recomputing every hash, then checks nothing was cut off the end. */
  public Future<Verification> verify() {
    return verifyFrom(0, GENESIS, 0).compose(walked -> !walked.ok() ? Future.succeededFuture(walked)
      : Mongo.first(heads.find(eq("_id", HEAD_ID))).map(recorded -> {
        long recordedSeq = recorded == null ? 0 : ((Number) recorded.get("seq")).longValue();
        return recordedSeq > walked.checked()
          ? new Verification(false, walked.checked(), String.valueOf(walked.checked() + 1))
          : walked;
      }));
  }

  private Future<Verification> verifyFrom(long afterSeq, String prevHash, long checked) {
    return Mongo.all(entries.find(gt("_id", afterSeq)).sort(ascending("_id")).limit(VERIFY_BATCH)).compose(docs -> {
      long expectedSeq = afterSeq + 1;
      String previous = prevHash;
      long count = checked;
      for (Document doc : docs) {
        count++;
        Entry entry = readable(doc);
        if (entry == null || entry.seq() != expectedSeq || !previous.equals(entry.prevHash())
          || !entry.computeHash(key).equals(entry.hash())) {
          return Future.succeededFuture(new Verification(false, count, String.valueOf(doc.get("_id"))));
        }
        previous = entry.hash();
        expectedSeq++;
      }
      if (docs.size() < VERIFY_BATCH) {
        return Future.succeededFuture(new Verification(true, count, null));
      }
      return verifyFrom(expectedSeq - 1, previous, count);
    });
  }

  /** The entry, or null when the stored document no longer has the shape of one (tampered). */
  private static Entry readable(Document doc) {
    try {
      return Entry.from(doc);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Future<Entry> attempt(Draft draft, Entry latest, int attempt) {
    long seq = latest == null ? 1 : latest.seq() + 1;
    String prevHash = latest == null ? GENESIS : latest.hash();
    Entry unsigned = new Entry(seq, clock.instant(), draft.actor.id(), draft.actor.username(), draft.action,
      draft.targetType, draft.targetId, draft.before, draft.after, draft.requestId, prevHash, null);
    Entry entry = withHash(unsigned);
    return Mongo.first(entries.insertOne(entry.toDocument()))
      .compose(inserted -> recordHead(entry))
      .map(recorded -> {
        head.accumulateAndGet(entry, (old, fresh) -> old == null || fresh.seq() > old.seq() ? fresh : old);
        return entry;
      })
      .recover(failure -> {
        if (!Mongo.isDuplicateKey(failure) || attempt >= MAX_ATTEMPTS) {
          return Future.failedFuture(failure);
        }
        return loadHead().compose(fresh -> attempt(draft, fresh, attempt + 1));
      });
  }

  private Future<Entry> currentHead() {
    Entry cached = head.get();
    return cached != null ? Future.succeededFuture(cached) : loadHead();
  }

  private Future<Entry> loadHead() {
    return Mongo.first(entries.find().sort(descending("_id")).limit(1)).map(doc -> {
      Entry latest = doc == null ? null : Entry.from(doc);
      if (latest != null) {
        head.accumulateAndGet(latest, (old, fresh) -> old == null || fresh.seq() > old.seq() ? fresh : old);
      }
      return latest;
    });
  }

  /** Moves the head record forward; an instance that lost the race to a newer entry leaves it alone. */
  private Future<Void> recordHead(Entry entry) {
    return Mongo.first(heads.updateOne(and(eq("_id", HEAD_ID), lt("seq", entry.seq())),
        Updates.combine(Updates.set("seq", entry.seq()), Updates.set("hash", entry.hash())),
        new UpdateOptions().upsert(true)))
      .<Void>mapEmpty()
      .recover(failure -> Mongo.isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private Entry withHash(Entry e) {
    return new Entry(e.seq(), e.at(), e.actorId(), e.actorName(), e.action(), e.targetType(), e.targetId(),
      e.before(), e.after(), e.requestId(), e.prevHash(), e.computeHash(key));
  }

  private record Draft(Actor actor, String action, String targetType, String targetId, String before, String after,
                       String requestId) {}

  static String hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
