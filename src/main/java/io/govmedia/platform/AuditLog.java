package io.govmedia.platform;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
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
 * <p>
 * What is hashed is exactly what is stored: every text is made well-formed (an unpaired surrogate becomes U+FFFD, as
 * MongoDB would store it) before it is hashed, so an odd character that got past the input checks cannot break the
 * chain. Verification walks on past a broken entry, judging each entry against the one stored before it, so one
 * damaged entry does not hide tampering further on.
 */
public final class AuditLog {

  public static final String GENESIS = "0".repeat(64);
  private static final int MAX_ATTEMPTS = 50;
  private static final int VERIFY_BATCH = 1000;
  private static final int MAX_BROKEN_IDS = 100;

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

  /** {@code brokenIds}: the first {@value #MAX_BROKEN_IDS} broken entries in chain order; {@code brokenCount}: all. */
  public record Verification(long checked, List<String> brokenIds, long brokenCount) {

    public boolean ok() {
      return brokenCount == 0;
    }

    public String firstBrokenId() {
      return brokenIds.isEmpty() ? null : brokenIds.get(0);
    }

    public JsonObject toJson() {
      return new JsonObject().put("ok", ok()).put("checked", checked).put("firstBrokenId", firstBrokenId())
        .put("brokenIds", new JsonArray(brokenIds)).put("brokenCount", brokenCount);
    }
  }

  private static final String HEAD_ID = "head";

  private final MongoCollection<Document> entries;
  private final MongoCollection<Document> heads;
  private final byte[] key;
  private final Clock clock;
  private final AtomicReference<Entry> head = new AtomicReference<>();
  /**
   * This instance's appends, one after another: concurrent appends on one instance would all take the same next
   * seq and all but one retry, again and again (at 200 cases/s most gave up). Only other instances race now.
   */
  private final Object appending = new Object();
  private Future<?> lastAppend = Future.succeededFuture();

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
    Draft draft = new Draft(new Actor(wellFormed(actor.id()), wellFormed(actor.username())), wellFormed(action),
      wellFormed(targetType), wellFormed(targetId), before == null ? null : wellFormed(before.encode()),
      after == null ? null : wellFormed(after.encode()), wellFormed(requestId));
    Promise<Entry> appended = Promise.promise();
    synchronized (appending) {
      Future<?> previous = lastAppend;
      lastAppend = appended.future().transform(done -> Future.succeededFuture());
      previous.onComplete(done -> currentHead().compose(latest -> attempt(draft, latest, 1)).onComplete(appended));
    }
    return appended.future();
  }

  public Future<List<Entry>> list(Page page) {
    var filter = page.cursor() == null ? new Document() : lt("_id", Long.parseLong(page.cursor()));
    return Mongo.all(entries.find(filter).sort(descending("_id")).limit(page.limit() + 1))
      .map(docs -> docs.stream().map(Entry::from).toList());
  }

  /**
   * Walks the whole chain in order, recomputing every hash, then checks nothing was cut off the end. Each entry is
   * judged against the one stored before it, so the walk goes on past a broken entry and reports every one.
   */
  public Future<Verification> verify() {
    // The head is read first: entries appended while the walk runs are then never mistaken for a cut-off end.
    return Mongo.first(heads.find(eq("_id", HEAD_ID))).compose(recorded -> {
      long recordedSeq = recorded == null ? 0 : ((Number) recorded.get("seq")).longValue();
      Walk walk = new Walk();
      return verifyFrom(0, walk).map(walked -> {
        if (recordedSeq >= walk.nextSeq) {
          walk.broken(String.valueOf(walk.nextSeq));
        }
        return new Verification(walk.checked, List.copyOf(walk.brokenIds), walk.brokenCount);
      });
    });
  }

  private Future<Void> verifyFrom(long afterId, Walk walk) {
    return Mongo.all(entries.find(gt("_id", afterId)).sort(ascending("_id")).limit(VERIFY_BATCH)).compose(docs -> {
      docs.forEach(doc -> walk.check(doc, key));
      return docs.size() < VERIFY_BATCH ? Future.succeededFuture()
        : verifyFrom(((Number) docs.get(docs.size() - 1).get("_id")).longValue(), walk);
    });
  }

  /** What a walk along the chain has found so far. */
  private static final class Walk {
    long checked;
    long nextSeq = 1;
    String previousHash = GENESIS;
    final List<String> brokenIds = new ArrayList<>();
    long brokenCount;

    void check(Document doc, byte[] key) {
      checked++;
      Entry entry = readable(doc);
      boolean intact = entry != null && entry.seq() == nextSeq && Objects.equals(previousHash, entry.prevHash())
        && entry.computeHash(key).equals(entry.hash());
      if (!intact) {
        broken(String.valueOf(doc.get("_id")));
      }
      previousHash = doc.get("hash") instanceof String hash ? hash : null;
      nextSeq = ((Number) doc.get("_id")).longValue() + 1;
    }

    void broken(String id) {
      brokenCount++;
      if (brokenIds.size() < MAX_BROKEN_IDS) {
        brokenIds.add(id);
      }
    }
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

  /**
   * The text as MongoDB stores it: an unpaired surrogate cannot be written as UTF-8 and comes back as U+FFFD, so it
   * is replaced before hashing. Well-formed text is returned as it is.
   */
  static String wellFormed(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

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
