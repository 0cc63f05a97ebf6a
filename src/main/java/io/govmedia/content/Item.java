package io.govmedia.content;

import io.govmedia.checks.Finding;
import io.govmedia.checks.HtmlBodies;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A policy document or an interpretation, at its current version. Kind-specific fields live in
 * {@code attrs} (document number, issuer, validity… / the document interpreted, form, assets); what review
 * needs is common: status, version, the stage reached with its approvals, the findings of the checks run
 * on submit (bound to the version they checked), and the history of versions and decisions.
 */
public record Item(ItemKind kind, String id, ReviewStatus status, long version, String title, String body,
                   String departmentId, Document attrs, int stage, List<Approval> approvals, List<Finding> findings,
                   long findingsVersion, List<Document> history, AuditLog.Actor createdBy, Instant createdAt,
                   Instant updatedAt, Instant publishedAt) {

  /** One reviewer's approval of one stage, bound to the version the reviewer saw. */
  public record Approval(int stage, String reviewerId, String reviewerName, long version, Instant at, String comment) {

    Document toDocument() {
      return new Document("stage", stage).append("reviewerId", reviewerId).append("reviewerName", reviewerName)
        .append("version", version).append("at", Times.date(at)).append("comment", comment);
    }

    static Approval from(Document d) {
      return new Approval(d.getInteger("stage"), d.getString("reviewerId"), d.getString("reviewerName"),
        d.get("version", Number.class).longValue(), Times.instant(d.getDate("at")), d.getString("comment"));
    }
  }

  static Item from(ItemKind kind, Document d) {
    Document created = d.get("createdBy", Document.class);
    return new Item(kind, d.getString("_id"), ReviewStatus.parse(d.getString("status")),
      d.get("version", Number.class).longValue(), d.getString("title"), d.getString("body"),
      d.getString("departmentId"), d.get("attrs", new Document()), d.getInteger("stage", 0),
      d.getList("approvals", Document.class, List.of()).stream().map(Approval::from).toList(),
      d.getList("findings", Document.class, List.of()).stream().map(Finding::from).toList(),
      d.get("findingsVersion", 0L), d.getList("history", Document.class, List.of()),
      new AuditLog.Actor(created.getString("id"), created.getString("username")),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
      Times.instant(d.getDate("publishedAt")));
  }

  Document toDocument() {
    return new Document("_id", id).append("status", status.wire()).append("version", version).append("title", title)
      .append("body", body).append("departmentId", departmentId).append("attrs", attrs).append("stage", stage)
      .append("approvals", approvals.stream().map(Approval::toDocument).toList())
      .append("findings", findings.stream().map(Finding::toDocument).toList())
      .append("findingsVersion", findingsVersion).append("history", history)
      .append("createdBy", new Document("id", createdBy.id()).append("username", createdBy.username()))
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt))
      .append("publishedAt", Times.date(publishedAt));
  }

  /** Everyone who wrote a version of the item: none of them may review it. */
  Set<String> authors() {
    Set<String> authors = new HashSet<>();
    authors.add(createdBy.id());
    history.stream().filter(h -> "edited".equals(h.getString("action")) || "created".equals(h.getString("action")))
      .forEach(h -> authors.add(h.getString("actorId")));
    return authors;
  }

  /** The findings that still count: those of the current version, and only those that block. */
  boolean blocked() {
    return findingsVersion == version && findings.stream().anyMatch(Finding::blocks);
  }

  static Document historyEntry(AuditLog.Actor actor, String action, long version, Integer stage, String comment,
                               Instant at) {
    return new Document("at", Times.date(at)).append("actorId", actor.id()).append("actorName", actor.username())
      .append("action", action).append("version", version).append("stage", stage).append("comment", comment);
  }

  /** The list view: no body, no history. */
  public JsonObject summary(List<String> stages) {
    JsonObject json = new JsonObject().put("id", id).put("kind", kind.wire()).put("status", status.wire())
      .put("version", version).put("title", title).put("departmentId", departmentId)
      .put("createdBy", new JsonObject().put("id", createdBy.id()).put("username", createdBy.username()))
      .put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt))
      .put("publishedAt", Times.show(publishedAt))
      .put("review", review(stages))
      .put("blocked", blocked());
    attrs.forEach((key, value) -> json.put(key, value instanceof java.util.Date date ? Times.show(date.toInstant())
      : value instanceof Document doc ? new JsonObject(doc.toJson()) : value instanceof List<?> list
      ? new JsonArray(new ArrayList<>(list)) : value));
    return json;
  }

  /** The full view, for staff: body, findings with positions, history. */
  public JsonObject toJson(List<String> stages) {
    JsonArray findingsJson = new JsonArray();
    if (findingsVersion == version) {
      findings.forEach(f -> findingsJson.add(f.toJson()));
    }
    JsonArray historyJson = new JsonArray();
    history.forEach(h -> historyJson.add(new JsonObject().put("at", Times.show(Times.instant(h.getDate("at"))))
      .put("actor", new JsonObject().put("id", h.getString("actorId")).put("username", h.getString("actorName")))
      .put("action", h.getString("action")).put("version", h.get("version")).put("stage", h.get("stage"))
      .put("comment", h.getString("comment"))));
    return summary(stages).put("body", body).put("bodyText", HtmlBodies.text(body)).put("findings", findingsJson)
      .put("history", historyJson);
  }

  private JsonObject review(List<String> stages) {
    JsonArray approvalsJson = new JsonArray();
    approvals.forEach(a -> approvalsJson.add(new JsonObject().put("stage", a.stage())
      .put("stageName", stages.get(Math.min(a.stage(), stages.size() - 1)))
      .put("reviewer", new JsonObject().put("id", a.reviewerId()).put("username", a.reviewerName()))
      .put("version", a.version()).put("at", Times.show(a.at())).put("comment", a.comment())));
    return new JsonObject().put("stages", new JsonArray(stages)).put("stage", stage)
      .put("stageName", status == ReviewStatus.IN_REVIEW ? stages.get(Math.min(stage, stages.size() - 1)) : null)
      .put("approvals", approvalsJson);
  }
}
