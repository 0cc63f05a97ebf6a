package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * A case's reply as the public reads it ({@code public_replies}, {@code _id} = the case's id: one per case):
 * receipt date, reply date, the replying department, the question and the reply, masked (DOMAIN §4). It waits
 * for review ({@code pending_review}) and is {@code published} once a head or a supervisor approved it.
 */
record PublicReply(String id, String number, Status status, String departmentId, String departmentName,
                   String category, LocalDate receivedOn, LocalDate repliedOn, String title, String question,
                   String reply, String requestedBy, String requestedByName, Instant requestedAt, Document review,
                   Instant publishedAt, long version) {

  enum Status {
    PENDING_REVIEW, PUBLISHED, REJECTED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static java.util.Optional<Status> parse(String wire) {
      return java.util.Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }
  }

  PublicReply decided(Status next, Document decision, Instant at) {
    return new PublicReply(id, number, next, departmentId, departmentName, category, receivedOn, repliedOn, title,
      question, reply, requestedBy, requestedByName, requestedAt, decision, next == Status.PUBLISHED ? at : publishedAt,
      version + 1);
  }

  Document toDocument() {
    return new Document("_id", id).append("number", number).append("status", status.wire())
      .append("departmentId", departmentId).append("departmentName", departmentName).append("category", category)
      .append("receivedOn", receivedOn.toString()).append("repliedOn", repliedOn.toString()).append("title", title)
      .append("question", question).append("reply", reply).append("requestedBy", requestedBy)
      .append("requestedByName", requestedByName).append("requestedAt", Times.date(requestedAt))
      .append("review", review).append("publishedAt", Times.date(publishedAt)).append("version", version);
  }

  static PublicReply from(Document d) {
    return new PublicReply(d.getString("_id"), d.getString("number"), Status.parse(d.getString("status")).orElseThrow(),
      d.getString("departmentId"), d.getString("departmentName"), d.getString("category"),
      LocalDate.parse(d.getString("receivedOn")), LocalDate.parse(d.getString("repliedOn")), d.getString("title"),
      d.getString("question"), d.getString("reply"), d.getString("requestedBy"), d.getString("requestedByName"),
      Times.instant(d.getDate("requestedAt")), d.get("review", Document.class), Times.instant(d.getDate("publishedAt")),
      d.get("version", 0L));
  }

  /** What the public sees: no staff, no review. */
  JsonObject toPublicJson() {
    return new JsonObject().put("id", id).put("number", number).put("departmentName", departmentName)
      .put("category", category).put("receivedOn", receivedOn.toString()).put("repliedOn", repliedOn.toString())
      .put("title", title).put("question", question).put("reply", reply).put("publishedAt", Times.show(publishedAt));
  }

  /** What staff see: the public record, its status, who asked for it and the review. */
  JsonObject toJson() {
    return toPublicJson().put("caseId", id).put("status", status.wire()).put("departmentId", departmentId)
      .put("requestedBy", requestedBy).put("requestedByName", requestedByName)
      .put("requestedAt", Times.show(requestedAt)).put("review", review == null ? null : new JsonObject(review.toJson()))
      .put("version", version);
  }
}
