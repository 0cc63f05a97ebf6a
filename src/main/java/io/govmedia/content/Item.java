package io.govmedia.content;

import io.govmedia.checks.Finding;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.govmedia.search.SearchIndex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A policy document, an interpretation or a post, at its current version. Kind-specific fields live in {@link Attrs}
 * (document number, issuer, validity… / the document interpreted, form, assets); what review needs is common:
 * status, version, the stage reached with its approvals, the findings of the checks run on submit (bound to
 * the version they checked), and the history of versions and decisions. {@code bodyText} is the reader's text
 * of the body, rendered once on save: reads never parse HTML, and findings' positions point into it.
 *
 * <p>Every change is one of the transitions below; each checks the state table ({@link ReviewStatus}) and
 * answers the next item, so a handler reads "load, change, store".
 */
public record Item(ItemKind kind, String id, ReviewStatus status, long version, String title, String body,
                   String bodyText, String departmentId, Attrs attrs, int stage, List<Approval> approvals,
                   List<Finding> findings, long findingsVersion, List<HistoryEntry> history, AuditLog.Actor createdBy,
                   Instant createdAt, Instant updatedAt, Instant publishedAt) {

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

  /** A reviewer's verdict on the stage the item is at. */
  enum Verdict {
    APPROVE, REJECT
  }

  // Transitions

  /** A new item: version 1, a draft. */
  static Item draft(ItemKind kind, String id, ItemFields fields, String departmentId, AuditLog.Actor author,
                    Instant now) {
    return new Item(kind, id, ReviewStatus.DRAFT, 1, fields.title(), fields.body().html(), fields.body().text(),
      departmentId, fields.attrs(), 0, List.of(), List.of(), 0,
      List.of(new HistoryEntry(now, author, "created", 1, null, null)), author, now, now, null);
  }

  /**
   * An edit: a new version, back to draft, approvals gone (they bind to the version they saw). The merged result
   * is validated, not just the patch: an expiry before the stored effective date is refused.
   */
  Item edited(ItemFields fields, String newDepartmentId, AuditLog.Actor editor, Instant now) {
    status.require(ReviewStatus.Action.EDIT);
    Attrs merged = attrs.mergedWith(fields.attrs());
    if (merged.document() != null && merged.document().expiresBeforeEffect()) {
      throw new Problem(422, "expiry-before-effect", "失效日期不能早于生效日期",
        "失效日期 " + Times.show(merged.document().expiresAt()) + " 早于生效日期 "
          + Times.show(merged.document().effectiveAt()) + "。");
    }
    Builder next = newVersion(editor, "edited", now).attrs(merged);
    if (fields.title() != null) {
      next.title = fields.title();
    }
    if (fields.body() != null) {
      next.body = fields.body().html();
      next.bodyText = fields.body().text();
    }
    if (newDepartmentId != null) {
      next.departmentId = newDepartmentId;
    }
    return next.build();
  }

  /** Sent to review with the findings of the checks on this version. */
  Item submitted(List<Finding> checked, AuditLog.Actor editor, Instant now) {
    status.require(ReviewStatus.Action.SUBMIT);
    Builder next = builder().status(ReviewStatus.IN_REVIEW).stage(0).approvals(List.of())
      .history(editor, "submitted", 0, null, now);
    next.findings = List.copyOf(checked);
    next.findingsVersion = version;
    return next.build();
  }

  /**
   * A reviewer's decision on the current stage: never by an author, never two stages by one reviewer, only on
   * the version the reviewer saw (when named), and no approval while a blocking finding stands.
   */
  Item decided(Verdict verdict, String comment, Long versionSeen, AuditLog.Actor reviewer, int stageCount,
               Instant now) {
    status.require(verdict == Verdict.APPROVE ? ReviewStatus.Action.APPROVE : ReviewStatus.Action.REJECT);
    if (authors().contains(reviewer.id())) {
      throw Problem.forbidden("不能审核自己撰写或修改过的内容。").with("reason", "own-item");
    }
    if (approvals.stream().anyMatch(a -> a.reviewerId().equals(reviewer.id()))) {
      throw Problem.conflict("already-reviewed", "同一审核人不能审核两个阶段", "请由另一位审核人审核本阶段。");
    }
    if (versionSeen != null && versionSeen != version) {
      throw Problem.conflict("version-changed", "内容已被修改，请审核最新版本",
        "您审核的是第 " + versionSeen + " 版，当前为第 " + version + " 版。");
    }
    if (verdict == Verdict.REJECT) {
      return builder().status(ReviewStatus.REJECTED).stage(0).approvals(List.of())
        .history(reviewer, "rejected", stage, comment, now).build();
    }
    if (blocked()) {
      throw Problem.conflict("blocking-findings", "内容检查发现必须修改的问题，不能通过", "请退回作者修改后重新提交。")
        .with("findings", new JsonArray(findings.stream().filter(Finding::blocks).map(Finding::toJson).toList()));
    }
    List<Approval> all = new ArrayList<>(approvals);
    all.add(new Approval(stage, reviewer.id(), reviewer.username(), version, now, comment));
    boolean last = stage + 1 >= stageCount;
    return builder().status(last ? ReviewStatus.APPROVED : ReviewStatus.IN_REVIEW).stage(last ? stage : stage + 1)
      .approvals(List.copyOf(all)).history(reviewer, "approved", stage, comment, now).build();
  }

  /** Out, flagged when late. */
  Item published(Attrs.Late late, AuditLog.Actor editor, Instant now) {
    status.require(ReviewStatus.Action.PUBLISH);
    Builder next = builder().status(ReviewStatus.PUBLISHED).attrs(late == null ? attrs : attrs.withLate(late))
      .history(editor, "published", null, null, now);
    next.publishedAt = now;
    return next.build();
  }

  /** 同步审签: a reviewer (not an author) lets a document go to review without an interpretation. */
  Item exempted(String reason, AuditLog.Actor reviewer, Instant now) {
    status.require(ReviewStatus.Action.EXEMPT);
    if (authors().contains(reviewer.id())) {
      throw Problem.forbidden("不能为自己撰写的文件登记豁免。").with("reason", "own-item");
    }
    return builder().attrs(attrs.withExemption(new Attrs.Exemption(reason, reviewer.username(), reviewer.id(), now)))
      .history(reviewer, "exempted", null, reason, now).build();
  }

  /**
   * A validity mark (amended, repealed, expired). On a version reviewers have seen (in review, approved, published)
   * it is a new version back to draft, to go through review again; before that it changes the draft directly.
   */
  Item withValidity(Attrs.Validity validity, AuditLog.Actor editor, Instant now) {
    status.require(ReviewStatus.Action.MARK_VALIDITY);
    Builder next = status.reviewed() ? newVersion(editor, "edited", now) : builder();
    return next.attrs(attrs.withValidity(validity))
      .history(editor, "validity:" + validity.state(), null, validity.note(), now).build();
  }

  /**
   * An unpublished interpretation following its document to another department (谁起草谁解读). A version reviewers
   * have seen goes back to draft as a new version: the approvals came from the old department's reviewers.
   */
  Item movedWithDocument(String newDepartmentId, AuditLog.Actor admin, Instant now) {
    status.require(ReviewStatus.Action.EDIT);
    Builder next = status.reviewed() ? newVersion(admin, "moved", now) : builder().history(admin, "moved", null, null, now);
    next.departmentId = newDepartmentId;
    return next.build();
  }

  /** The reader's text rendered for an item saved before it was kept: no new version, no history, same time. */
  Item withBodyText(String text) {
    Builder next = builder();
    next.bodyText = text;
    return next.build();
  }

  private Builder newVersion(AuditLog.Actor editor, String action, Instant now) {
    Builder next = builder().status(ReviewStatus.DRAFT).stage(0).approvals(List.of());
    next.version = version + 1;
    return next.history(editor, action, null, status.reviewed() ? "修改后需重新审核" : null, now);
  }

  // Questions

  /** Everyone who wrote a version of the item: none of them may review it. */
  Set<String> authors() {
    Set<String> authors = new HashSet<>();
    authors.add(createdBy.id());
    history.stream().filter(HistoryEntry::authored).forEach(h -> authors.add(h.actor().id()));
    return authors;
  }

  /** The findings that still count: those of the current version, and only those that block. */
  boolean blocked() {
    return findingsVersion == version && findings.stream().anyMatch(Finding::blocks);
  }

  // Storage and views

  static Item from(ItemKind kind, Document d) {
    Document created = d.get("createdBy", Document.class);
    return new Item(kind, d.getString("_id"), ReviewStatus.parse(d.getString("status")),
      d.get("version", Number.class).longValue(), d.getString("title"), d.getString("body"),
      d.getString("bodyText"), d.getString("departmentId"), Attrs.from(kind, d.get("attrs", new Document())),
      d.getInteger("stage", 0), d.getList("approvals", Document.class, List.of()).stream().map(Approval::from).toList(),
      d.getList("findings", Document.class, List.of()).stream().map(Finding::from).toList(),
      d.get("findingsVersion", 0L), d.getList("history", Document.class, List.of()).stream().map(HistoryEntry::from)
      .toList(), new AuditLog.Actor(created.getString("id"), created.getString("username")),
      Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
      Times.instant(d.getDate("publishedAt")));
  }

  Document toDocument() {
    return new Document("_id", id).append("status", status.wire()).append("version", version).append("title", title)
      .append("body", body).append("bodyText", bodyText).append("departmentId", departmentId)
      .append("attrs", attrs.toDocument()).append("stage", stage)
      .append("approvals", approvals.stream().map(Approval::toDocument).toList())
      .append("findings", findings.stream().map(Finding::toDocument).toList())
      .append("findingsVersion", findingsVersion)
      .append("history", history.stream().map(HistoryEntry::toDocument).toList())
      .append("createdBy", new Document("id", createdBy.id()).append("username", createdBy.username()))
      .append("createdAt", Times.date(createdAt)).append("updatedAt", Times.date(updatedAt))
      .append("publishedAt", Times.date(publishedAt));
  }

  /** What search holds of the item: it decides from status and department who finds it. */
  SearchIndex.Entry searchEntry() {
    return new SearchIndex.Entry(kind.wire(), id, title, bodyText, status.wire(), departmentId, updatedAt);
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
    attrs.addTo(json);
    return json;
  }

  /** What publishing reads of a post. */
  PostView postView() {
    Attrs.PostInfo post = attrs.post();
    Attrs.WeChat w = post.wechat();
    return new PostView(id, version, status.wire(), departmentId, title, body, post.sourceId(), post.sourceKind(),
      w == null ? null : new PostView.WeChat(w.title(), w.author(), w.digest(), w.coverAssetId(), body, w.sourceUrl(),
        w.commentsOpen()),
      post.weibo() == null ? null : new PostView.Weibo(post.weibo().text(), post.weibo().pictureAssetId()),
      post.toMiniapp(), post.videoAssetId(), publishedAt);
  }

  /** The full view, for staff: body and its text as stored, findings with positions, history. */
  public JsonObject toJson(List<String> stages) {
    JsonArray findingsJson = new JsonArray();
    if (findingsVersion == version) {
      findings.forEach(f -> findingsJson.add(f.toJson()));
    }
    JsonObject json = summary(stages).put("body", body).put("bodyText", bodyText).put("findings", findingsJson)
      .put("history", new JsonArray(history.stream().map(HistoryEntry::toJson).toList()));
    if (json.getValue("wechat") instanceof JsonObject wechat) {
      wechat.put("html", body);  // a post's article is its body, kept once
    }
    return json;
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

  private Builder builder() {
    return new Builder(this);
  }

  /** A copy being changed by one transition; every change also sets {@code updatedAt}, through its history line. */
  private static final class Builder {
    private final Item from;
    private ReviewStatus status;
    private long version;
    private String title;
    private String body;
    private String bodyText;
    private String departmentId;
    private Attrs attrs;
    private int stage;
    private List<Approval> approvals;
    private List<Finding> findings;
    private long findingsVersion;
    private final List<HistoryEntry> history;
    private Instant updatedAt;
    private Instant publishedAt;

    Builder(Item from) {
      this.from = from;
      status = from.status;
      version = from.version;
      title = from.title;
      body = from.body;
      bodyText = from.bodyText;
      departmentId = from.departmentId;
      attrs = from.attrs;
      stage = from.stage;
      approvals = from.approvals;
      findings = from.findings;
      findingsVersion = from.findingsVersion;
      history = new ArrayList<>(from.history);
      updatedAt = from.updatedAt;
      publishedAt = from.publishedAt;
    }

    Builder status(ReviewStatus value) {
      status = value;
      return this;
    }

    Builder stage(int value) {
      stage = value;
      return this;
    }

    Builder approvals(List<Approval> value) {
      approvals = value;
      return this;
    }

    Builder attrs(Attrs value) {
      attrs = value;
      return this;
    }

    Builder history(AuditLog.Actor actor, String action, Integer atStage, String comment, Instant now) {
      history.add(new HistoryEntry(now, actor, action, version, atStage, comment));
      updatedAt = now;
      return this;
    }

    Item build() {
      return new Item(from.kind, from.id, status, version, title, body, bodyText, departmentId, attrs, stage,
        approvals, findings, findingsVersion, List.copyOf(history), from.createdBy, from.createdAt, updatedAt,
        publishedAt);
    }
  }
}
