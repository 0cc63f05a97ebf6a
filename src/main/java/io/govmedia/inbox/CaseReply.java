package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One reply on a case ({@code replies[]}): a draft, a reply waiting for review (or rejected by it), one being sent,
 * or one sent with its deliveries. {@code requestId} is the id its {@code Idempotency-Key} claimed (the reply's own
 * id for a new reply, another for a draft sent later). {@code reachedAt} is when the citizen was reached (the reply
 * delivered, available on their case page, or staff reached them another way): the 7-day rating window starts there.
 *
 * @param documents the published documents and interpretations the reply links ({@code id, kind, title, url})
 * @param review    the reviewer's decision ({@code by, byName, at, decision, note}), null before one
 * @param warnings  non-blocking findings of the content checks on the text as sent
 * @param reached   how staff reached the citizen when delivery failed ({@code how, note, by, byName, at})
 */
record CaseReply(String id, String requestId, Status status, String text, String cannedReplyId, List<Document> documents,
                 String authorId, String authorName, Instant createdAt, Instant updatedAt, Document review,
                 List<Document> warnings, List<Delivery> deliveries, Instant sentAt, Instant reachedAt,
                 Document reached) {

  enum Status {
    DRAFT, PENDING_REVIEW, REJECTED, SENDING, SENT;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** A reply still being written: a draft, or one the reviewer sent back. */
    boolean editable() {
      return this == DRAFT || this == REJECTED;
    }

    static Status parse(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  CaseReply {
    documents = List.copyOf(documents);
    warnings = List.copyOf(warnings);
    deliveries = List.copyOf(deliveries);
  }

  /** The last delivery, null before the first. */
  Delivery delivery() {
    return deliveries.isEmpty() ? null : deliveries.get(deliveries.size() - 1);
  }

  /** The citizen can read it: delivered, or on the case page they read. */
  static boolean reaches(Delivery delivery) {
    return delivery.delivered() || "available".equals(delivery.status());
  }

  CaseReply with(Status next, Instant at) {
    return new CaseReply(id, requestId, next, text, cannedReplyId, documents, authorId, authorName, createdAt, at, review,
      warnings, deliveries, next == Status.SENDING ? at : sentAt, reachedAt, reached);
  }

  CaseReply reviewed(Document decision, Status next, Instant at) {
    return new CaseReply(id, requestId, next, text, cannedReplyId, documents, authorId, authorName, createdAt, at,
      decision, warnings, deliveries, next == Status.SENDING ? at : sentAt, reachedAt, reached);
  }

  CaseReply delivered(Delivery delivery, Instant at) {
    List<Delivery> all = new ArrayList<>(deliveries);
    all.add(delivery);
    Instant reachedNow = reachedAt == null && reaches(delivery) ? delivery.at() == null ? at : delivery.at() : reachedAt;
    return new CaseReply(id, requestId, Status.SENT, text, cannedReplyId, documents, authorId, authorName, createdAt, at,
      review, warnings, all, sentAt, reachedNow, reached);
  }

  CaseReply reachedOtherwise(Document how, Instant at) {
    return new CaseReply(id, requestId, status, text, cannedReplyId, documents, authorId, authorName, createdAt, at,
      review, warnings, deliveries, sentAt, reachedAt == null ? at : reachedAt, how);
  }

  Document toDocument() {
    return new Document("id", id).append("requestId", requestId).append("status", status.wire()).append("text", text)
      .append("cannedReplyId", cannedReplyId).append("documents", documents).append("authorId", authorId)
      .append("authorName", authorName).append("createdAt", Times.date(createdAt))
      .append("updatedAt", Times.date(updatedAt)).append("review", review).append("warnings", warnings)
      .append("deliveries", deliveries.stream().map(d -> Document.parse(d.toJson().encode())).toList())
      .append("sentAt", Times.date(sentAt)).append("reachedAt", Times.date(reachedAt)).append("reached", reached);
  }

  static CaseReply from(Document d) {
    return new CaseReply(d.getString("id"), d.getString("requestId"), Status.parse(d.getString("status")),
      d.getString("text"), d.getString("cannedReplyId"), d.getList("documents", Document.class, List.of()),
      d.getString("authorId"), d.getString("authorName"), Times.instant(d.getDate("createdAt")),
      Times.instant(d.getDate("updatedAt")), d.get("review", Document.class),
      d.getList("warnings", Document.class, List.of()),
      d.getList("deliveries", Document.class, List.of()).stream().map(Case::delivery).toList(),
      Times.instant(d.getDate("sentAt")), Times.instant(d.getDate("reachedAt")), d.get("reached", Document.class));
  }

  JsonObject toJson() {
    Delivery last = delivery();
    return new JsonObject().put("id", id).put("status", status.wire()).put("text", text)
      .put("cannedReplyId", cannedReplyId).put("documents", array(documents)).put("authorId", authorId)
      .put("authorName", authorName).put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt))
      .put("review", review == null ? null : json(review)).put("warnings", array(warnings))
      .put("delivery", last == null ? null : last.toJson())
      .put("deliveries", new JsonArray(deliveries.stream().map(Delivery::toJson).toList()))
      .put("sentAt", Times.show(sentAt)).put("reachedAt", Times.show(reachedAt))
      .put("reached", reached == null ? null : json(reached));
  }

  /** The case's replies as records. */
  static List<CaseReply> of(Case c) {
    return c.replies().stream().map(CaseReply::from).toList();
  }

  static Optional<CaseReply> find(Case c, String replyId) {
    return of(c).stream().filter(r -> r.id().equals(replyId)).findFirst();
  }

  /** The reply the citizen was last sent (or is being sent), if any. */
  static Optional<CaseReply> lastSent(Case c) {
    return lastSent(c.replies());
  }

  static Optional<CaseReply> lastSent(List<Document> replies) {
    for (int i = replies.size() - 1; i >= 0; i--) {
      String s = replies.get(i).getString("status");
      if (Status.SENT.wire().equals(s) || Status.SENDING.wire().equals(s)) {
        return Optional.of(from(replies.get(i)));
      }
    }
    return Optional.empty();
  }

  /** The case's replies with {@code changed} in place of the one with its id, or added at the end. */
  static List<Document> replacing(Case c, CaseReply changed) {
    List<Document> all = new ArrayList<>();
    boolean replaced = false;
    for (Document d : c.replies()) {
      if (changed.id().equals(d.getString("id"))) {
        all.add(changed.toDocument());
        replaced = true;
      } else {
        all.add(d);
      }
    }
    if (!replaced) {
      all.add(changed.toDocument());
    }
    return all;
  }

  private static JsonArray array(List<Document> docs) {
    return new JsonArray(docs.stream().map(CaseReply::json).toList());
  }

  private static JsonObject json(Document d) {
    return new JsonObject(d.toJson());
  }
}
