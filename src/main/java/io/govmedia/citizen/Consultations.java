package io.govmedia.citizen;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Times;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.vertx.core.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Sorts.descending;

/**
 * Consultations, their texts and their comments. Consultations are few (a handful a month): their lists are read
 * from MongoDB. Comments may be thousands per draft, and the embedded MongoDB ignores non-unique indexes, so the
 * comment lists (all of a consultation's, oldest first; each citizen's own, newest first) are Redis sorted sets of
 * ids (score 0, ordered by the id, which grows with time) read page by page and then fetched by {@code _id}. An id
 * goes into its sets before the comment is stored: a stored comment is always listed, and an id whose store failed
 * is skipped when read. A consultation whose sets Redis lost ({@code built} marker gone) has them rebuilt from
 * MongoDB before they are read.
 *
 * <p>One running consultation per document: a guard document keyed by the document id names the current one; a new
 * one takes the guard over only from one that is over (a conditional update), so two openings at once cannot both
 * win. The guard also names the consultation whose summary is shown on the document.
 */
final class Consultations {

  private static final String PREFIX = Redis.PREFIX + "mp:consult:";
  private static final int FETCH_BATCH = 500;
  /** How long an opening may take between taking the guard and storing the consultation. */
  private static final Duration HALF_OPENED = Duration.ofMinutes(1);

  private final MongoCollection<Document> consultations;
  private final MongoCollection<Document> texts;
  private final MongoCollection<Document> byDocument;
  private final MongoCollection<Document> comments;
  private final Redis redis;

  Consultations(MongoDatabase db, Redis redis) {
    this.consultations = db.getCollection("consultations");
    this.texts = db.getCollection("consultation_texts");
    this.byDocument = db.getCollection("consultation_documents");
    this.comments = db.getCollection("consultation_comments");
    this.redis = redis;
  }

  // Consultations

  /**
   * Stores a new consultation with the draft's text, unless the document has one still {@code running} (409
   * {@code consultation-exists} naming it).
   */
  Future<Consultation> open(Consultation consultation, String body, Predicate<Consultation> running) {
    Document guard = new Document("_id", consultation.documentId()).append("currentId", consultation.id())
      .append("at", Times.date(consultation.createdAt()));
    return Mongo.first(byDocument.insertOne(guard)).<Void>mapEmpty()
      .recover(failure -> Mongo.isDuplicateKey(failure) ? takeOver(consultation, running) : Future.failedFuture(failure))
      .compose(v -> Mongo.first(texts.insertOne(new Document("_id", consultation.id()).append("body", body))))
      .compose(v -> Mongo.first(consultations.insertOne(consultation.toDocument())))
      // A new consultation's (empty) sets are complete; should Redis miss this, the first read rebuilds them.
      .compose(v -> Redis.await(redis.commands().set(marker(consultation.id()), "1")).<Void>mapEmpty()
        .recover(redisAway -> Future.succeededFuture()))
      .map(consultation);
  }

  /**
   * The guard passes to the new consultation if the current one is over, or was never stored: a guard whose
   * consultation is missing a while after it was taken (an opening that failed half-way); until then that opening
   * may still be storing it.
   */
  private Future<Void> takeOver(Consultation next, Predicate<Consultation> running) {
    return Mongo.first(byDocument.find(eq("_id", next.documentId()))).compose(guard -> {
      String currentId = guard.getString("currentId");
      Instant takenAt = Times.instant(guard.getDate("at"));
      return find(currentId).compose(current -> {
        boolean inFlight = current == null && takenAt != null
          && takenAt.plus(HALF_OPENED).isAfter(next.createdAt());
        if (inFlight || current != null && running.test(current)) {
          return Future.failedFuture(exists(currentId));
        }
        return Mongo.first(byDocument.updateOne(and(eq("_id", next.documentId()), eq("currentId", currentId)),
            Updates.combine(Updates.set("currentId", next.id()), Updates.set("at", Times.date(next.createdAt())))))
          .compose(result -> result.getModifiedCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(exists(null)));
      });
    });
  }

  private static Problem exists(String currentId) {
    return Problem.conflict("consultation-exists", "该文件已有正在进行的意见征集", null).with("consultationId", currentId);
  }

  Future<Consultation> find(String id) {
    return Mongo.first(consultations.find(eq("_id", id))).map(d -> d == null ? null : Consultation.from(d));
  }

  /** The draft's text as put out for comment. */
  Future<String> text(String id) {
    return Mongo.first(texts.find(eq("_id", id))).map(d -> d == null ? "" : d.getString("body"));
  }

  /** Every consultation, newest first: a scan, which their few allow (lists filter and page them in memory). */
  Future<List<Consultation>> all() {
    return Mongo.all(consultations.find().sort(descending("_id"))).map(docs -> docs.stream().map(Consultation::from)
      .toList());
  }

  /** The consultations taking comments on that day, newest first (what citizens list). */
  Future<List<Consultation>> takingComments(java.time.LocalDate today) {
    Bson filter = and(eq("state", Consultation.State.OPEN.wire()), lte("from", today.toString()),
      gte("to", today.toString()));
    return Mongo.all(consultations.find(filter).sort(descending("_id"))).map(docs -> docs.stream()
      .map(Consultation::from).toList());
  }

  /** A document's current consultation and the one whose summary it shows (either may be null). */
  record OfDocument(Consultation current, Consultation summarized) {
  }

  Future<OfDocument> ofDocument(String documentId) {
    return Mongo.first(byDocument.find(eq("_id", documentId))).compose(guard -> {
      if (guard == null) {
        return Future.succeededFuture(new OfDocument(null, null));
      }
      String summarizedId = guard.getString("summarizedId");
      return Future.all(find(guard.getString("currentId")),
          summarizedId == null ? Future.succeededFuture(null) : find(summarizedId))
        .map(both -> new OfDocument(both.resultAt(0), both.resultAt(1)));
    });
  }

  /** Writes {@code after} if the stored consultation is still {@code before} (else 409 {@code edit-conflict}). */
  Future<Consultation> replace(Consultation before, Consultation after) {
    Bson guard = and(eq("_id", before.id()), eq("updatedAt", Times.date(before.updatedAt())));
    return Mongo.first(consultations.replaceOne(guard, after.toDocument()))
      .compose(result -> result.getModifiedCount() == 1 ? Future.succeededFuture(after)
        : Future.failedFuture(Problem.conflict("edit-conflict", "数据已被他人修改", "请刷新后重试。")));
  }

  /** The summary is out: the document shows this consultation's. */
  Future<Consultation> summarized(Consultation before, Consultation after) {
    return replace(before, after).compose(done -> Mongo.first(byDocument.updateOne(eq("_id", after.documentId()),
      Updates.set("summarizedId", after.id())))).map(after);
  }

  /** Comments anyone may know of: one more (or, when a screening race undid one, one less). */
  private Future<Void> counted(String consultationId, int delta) {
    return Mongo.first(consultations.updateOne(eq("_id", consultationId), Updates.inc("commentCount", delta))).mapEmpty();
  }

  // Comments

  /** Listed first, then stored; a shown comment is counted. */
  Future<ConsultationComment> add(ConsultationComment comment, CitizenSession who) {
    var commands = redis.commands();
    return Future.all(Redis.await(commands.zadd(all(comment.consultationId()), 0, comment.id())),
        Redis.await(commands.zadd(mine(comment.consultationId(), who), 0, comment.id())))
      .compose(listed -> Mongo.first(comments.insertOne(comment.toDocument())))
      .compose(stored -> comment.screened() == ConsultationComment.Screened.SHOWN ? counted(comment.consultationId(), 1)
        : Future.succeededFuture())
      .map(comment);
  }

  /** A comment of that consultation, or null. */
  Future<ConsultationComment> comment(String consultationId, String id) {
    return Mongo.first(comments.find(eq("_id", id)))
      .map(d -> d == null || !consultationId.equals(d.getString("consultationId")) ? null : ConsultationComment.from(d));
  }

  /** Sets the decision (any earlier one replaced); answers the comment as it is now. */
  Future<ConsultationComment> decide(ConsultationComment comment, ConsultationComment.Decision decision) {
    return Mongo.first(comments.findOneAndUpdate(eq("_id", comment.id()), Updates.set("decision", decision.toDocument()),
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).map(ConsultationComment::from);
  }

  /**
   * A held comment accepted (shown, counted) or refused, by {@code _id} alone (a guard on its state too would scan the
   * comments); two staff screening it at once leave the last one's choice, and the count follows what it replaced.
   */
  Future<ConsultationComment> screen(ConsultationComment comment, boolean accept, AuditLog.Actor by) {
    ConsultationComment.Screened to = accept ? ConsultationComment.Screened.SHOWN : ConsultationComment.Screened.REFUSED;
    Bson update = Updates.combine(Updates.set("screened", to.wire()),
      Updates.set("screenedBy", new Document("id", by.id()).append("username", by.username())));
    return Mongo.first(comments.findOneAndUpdate(eq("_id", comment.id()), update))
      .compose(before -> {
        boolean wasShown = before != null && ConsultationComment.Screened.SHOWN.wire().equals(before.getString("screened"));
        int delta = (accept ? 1 : 0) - (wasShown ? 1 : 0);
        return delta == 0 ? Future.<Void>succeededFuture() : counted(comment.consultationId(), delta);
      })
      .compose(v -> comment(comment.consultationId(), comment.id()));
  }

  /** All of a consultation's comments, oldest first. */
  Future<List<ConsultationComment>> comments(String consultationId, Page page) {
    Range<String> after = page.cursor() == null ? Range.unbounded()
      : Range.from(Range.Boundary.excluding(page.cursor()), Range.Boundary.unbounded());
    return built(consultationId)
      .compose(v -> Redis.await(redis.commands().zrangebylex(all(consultationId), after, Limit.create(0, page.limit() + 1))))
      .compose(this::fetch);
  }

  /** A citizen's own comments on a consultation, newest first. */
  Future<List<ConsultationComment>> commentsOf(String consultationId, CitizenSession who, Page page) {
    Range<String> before = page.cursor() == null ? Range.unbounded()
      : Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(page.cursor()));
    return built(consultationId)
      .compose(v -> Redis.await(redis.commands().zrevrangebylex(mine(consultationId, who), before,
        Limit.create(0, page.limit() + 1))))
      .compose(this::fetch)
      .map(list -> list.stream().filter(c -> c.writtenBy(who)).toList());
  }

  /** Every comment of a consultation (for its summary), read in batches. */
  Future<List<ConsultationComment>> everyComment(String consultationId) {
    return built(consultationId)
      .compose(v -> Redis.await(redis.commands().zrangebylex(all(consultationId), Range.unbounded())))
      .compose(ids -> {
        List<Future<List<ConsultationComment>>> batches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += FETCH_BATCH) {
          batches.add(fetch(ids.subList(i, Math.min(ids.size(), i + FETCH_BATCH))));
        }
        return Future.all(batches).map(done -> done.<List<ConsultationComment>>list().stream()
          .flatMap(List::stream).toList());
      });
  }

  /** The comments with these ids, in that order; an id whose comment was never stored is skipped. */
  private Future<List<ConsultationComment>> fetch(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Mongo.all(comments.find(in("_id", ids))).map(docs -> {
      Map<String, ConsultationComment> byId = new HashMap<>();
      docs.forEach(d -> byId.put(d.getString("_id"), ConsultationComment.from(d)));
      return ids.stream().map(byId::get).filter(c -> c != null).toList();
    });
  }

  /** The sets exist, or are rebuilt from MongoDB (a scan of the comments: only after Redis lost them). */
  private Future<Void> built(String consultationId) {
    var commands = redis.commands();
    return Redis.await(commands.exists(marker(consultationId))).compose(exists -> exists > 0
      ? Future.succeededFuture()
      : Mongo.all(comments.find(eq("consultationId", consultationId))
          .projection(new Document("accountId", 1).append("openid", 1)))
        .compose(docs -> {
          List<Future<Long>> adds = new ArrayList<>();
          for (Document d : docs) {
            CitizenSession author = new CitizenSession(d.getString("accountId"), null, d.getString("openid"), null,
              null, null);
            adds.add(Redis.await(commands.zadd(all(consultationId), 0, d.getString("_id"))));
            adds.add(Redis.await(commands.zadd(mine(consultationId, author), 0, d.getString("_id"))));
          }
          return Future.all(adds);
        })
        .compose(added -> Redis.await(commands.set(marker(consultationId), "1")))
        .mapEmpty());
  }


  private static String all(String consultationId) {
    return PREFIX + consultationId + ":all";
  }

  private static String mine(String consultationId, CitizenSession who) {
    return PREFIX + consultationId + ":mine:" + ConsultationComment.owner(who);
  }

  private static String marker(String consultationId) {
    return PREFIX + consultationId + ":built";
  }
}
