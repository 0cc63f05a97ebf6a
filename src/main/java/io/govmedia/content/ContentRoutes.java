package io.govmedia.content;

import io.govmedia.checks.ContentChecks;
import io.govmedia.checks.Finding;
import io.govmedia.checks.HtmlBodies;
import io.govmedia.checks.PersonalData;
import io.govmedia.search.SearchIndex;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * {@code /api/v1/documents} and {@code /api/v1/interpretations}: editors write and submit, reviewers approve
 * stage by stage (each stage a different reviewer, never an author), editors publish what passed. The same
 * routes serve both kinds; what differs (fields, what must go along to review) is decided by the kind.
 */
public final class ContentRoutes {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContentRoutes.class);

  /** 谁起草谁解读: an interpretation is due within this many days of its document (local rule). */
  static final int INTERPRETATION_DUE_DAYS = 3;

  private final ItemStore items;
  private final DepartmentStore departments;
  private final ContentChecks checks;
  private final SearchIndex search;
  private final Function<Collection<String>, Future<Map<String, String>>> assetTypes;
  private final AuditLog audit;
  private final Clock clock;
  private final List<String> stages;

  public ContentRoutes(ItemStore items, DepartmentStore departments, ContentChecks checks, SearchIndex search,
                       Function<Collection<String>, Future<Map<String, String>>> assetTypes, AuditLog audit,
                       Clock clock, List<String> stages) {
    this.items = items;
    this.departments = departments;
    this.checks = checks;
    this.search = search;
    this.assetTypes = assetTypes;
    this.audit = audit;
    this.clock = clock;
    this.stages = List.copyOf(stages);
  }

  public Router routes(Vertx vertx, ItemKind kind) {
    Router router = Router.router(vertx);
    router.post("/").handler(ctx -> create(ctx, kind));
    router.get("/").handler(ctx -> list(ctx, kind));
    if (kind == ItemKind.DOCUMENT) {
      router.get("/expired").handler(this::expired);
      router.post("/:id/exemption").handler(this::exemption);
      router.post("/:id/validity").handler(this::validity);
    }
    router.get("/:id").handler(ctx -> get(ctx, kind));
    router.patch("/:id").handler(ctx -> update(ctx, kind));
    router.post("/:id/submit").handler(ctx -> submit(ctx, kind));
    router.post("/:id/review").handler(ctx -> review(ctx, kind));
    router.post("/:id/publish").handler(ctx -> publish(ctx, kind));
    router.get("/:id/versions").handler(ctx -> versions(ctx, kind));
    return router;
  }

  // Writing

  private void create(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    ItemFields fields = ItemFields.read(kind, input, true);
    input.validate();
    Instant now = clock.instant();
    checkReferences(kind, fields)
      .map(departmentId -> new Item(kind, Ids.newId(), ReviewStatus.DRAFT, 1, fields.title(), fields.body(),
        departmentId, fields.attrs(), 0, List.of(), List.of(), 0, List.of(Item.historyEntry(principal.actor(),
        "created", 1, null, null, now)), principal.actor(), now, now, null))
      .compose(items::insert)
      .compose(item -> indexAndAudit(ctx, item, kind.wire() + ".create", null))
      .onSuccess(item -> Reply.created(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** Every edit is a new version and goes back to draft: approvals bind to the version they saw. */
  private void update(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    ItemFields fields = ItemFields.read(kind, input, false);
    input.validate();
    Instant now = clock.instant();
    load(kind, ctx.pathParam("id"))
      .compose(before -> allow(before, ReviewStatus.Action.EDIT)
        .compose(ok -> checkReferences(kind, fields))
        .map(departmentId -> edited(before, fields, departmentId, principal, now))
        .compose(after -> items.snapshot(before).compose(v -> items.replace(before, after)))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".update", before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  private Item edited(Item before, ItemFields fields, String departmentId, Principal principal, Instant now) {
    Document attrs = new Document(before.attrs());
    attrs.putAll(fields.attrs());
    long version = before.version() + 1;
    return new Item(before.kind(), before.id(), ReviewStatus.DRAFT, version,
      fields.title() == null ? before.title() : fields.title(), fields.body() == null ? before.body() : fields.body(),
      fields.departmentId() == null ? before.departmentId() : departmentId, attrs, 0, List.of(), before.findings(),
      before.findingsVersion(), append(before.history(), Item.historyEntry(principal.actor(), "edited", version, null,
        before.status() == ReviewStatus.DRAFT || before.status() == ReviewStatus.REJECTED ? null : "修改后需重新审核",
        now)), before.createdBy(), before.createdAt(), now, before.publishedAt());
  }

  // Review

  private void submit(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Instant now = clock.instant();
    load(kind, ctx.pathParam("id"))
      .compose(before -> allow(before, ReviewStatus.Action.SUBMIT)
        .compose(ok -> readyForReview(before))
        .compose(ok -> checks.check(before.title(), before.body(), checkedFields(before)))
        .map(findings -> new Item(kind, before.id(), ReviewStatus.IN_REVIEW, before.version(), before.title(),
          before.body(), before.departmentId(), before.attrs(), 0, List.of(), findings, before.version(),
          append(before.history(), Item.historyEntry(principal.actor(), "submitted", before.version(), 0, null, now)),
          before.createdBy(), before.createdAt(), now, before.publishedAt()))
        .compose(after -> items.replace(before, after))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".submit", before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  private void review(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.REVIEWER);
    Decision read = Decision.read(Input.of(ctx));
    Long header = Input.ifMatch(ctx);
    // The version seen may come in the body or, as for every other edit, in If-Match.
    Decision decision = read.version() != null || header == null ? read
      : new Decision(read.verdict(), read.comment(), header);
    Instant now = clock.instant();
    load(kind, ctx.pathParam("id"))
      .compose(before -> decide(before, decision, principal, now)
        .compose(after -> items.replace(before, after))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".review." + decision.verdict(), before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** A reviewer's decision: {@code decision} approve or reject, a comment (required to reject), the version seen. */
  private record Decision(String verdict, String comment, Long version) {
    static Decision read(Input input) {
      String verdict = input.oneOf("decision", Set.of("approve", "reject"));
      String comment = input.optionalString("comment", 1000);
      Long version = input.optionalLong("version");
      if ("reject".equals(verdict) && comment == null) {
        input.error("comment", "退回时必须填写意见");
      }
      input.validate();
      return new Decision(verdict, comment, version);
    }
  }

  private Future<Item> decide(Item before, Decision decision, Principal principal, Instant now) {
    ReviewStatus.Action action = "approve".equals(decision.verdict()) ? ReviewStatus.Action.APPROVE
      : ReviewStatus.Action.REJECT;
    if (!before.status().allows(action)) {
      return Future.failedFuture(Problem.conflict("not-in-review", "该内容不在审核中", "当前状态：" + before.status().label()));
    }
    if (before.authors().contains(principal.staffId())) {
      return Future.failedFuture(Problem.forbidden("不能审核自己撰写或修改过的内容。").with("reason", "own-item"));
    }
    if (before.approvals().stream().anyMatch(a -> a.reviewerId().equals(principal.staffId()))) {
      return Future.failedFuture(Problem.conflict("already-reviewed", "同一审核人不能审核两个阶段", "请由另一位审核人审核本阶段。"));
    }
    if (decision.version() != null && decision.version() != before.version()) {
      return Future.failedFuture(Problem.conflict("version-changed", "内容已被修改，请审核最新版本",
        "您审核的是第 " + decision.version() + " 版，当前为第 " + before.version() + " 版。"));
    }
    if (action == ReviewStatus.Action.APPROVE && before.blocked()) {
      return Future.failedFuture(Problem.conflict("blocking-findings", "内容检查发现必须修改的问题，不能通过",
        "请退回作者修改后重新提交。").with("findings", findingsJson(before)));
    }
    return Future.succeededFuture(action == ReviewStatus.Action.APPROVE
      ? approved(before, decision, principal, now) : rejected(before, decision, principal, now));
  }

  private Item approved(Item before, Decision decision, Principal principal, Instant now) {
    List<Item.Approval> approvals = new ArrayList<>(before.approvals());
    approvals.add(new Item.Approval(before.stage(), principal.staffId(), principal.username(), before.version(), now,
      decision.comment()));
    boolean last = before.stage() + 1 >= stages.size();
    return new Item(before.kind(), before.id(), last ? ReviewStatus.APPROVED : ReviewStatus.IN_REVIEW,
      before.version(), before.title(), before.body(), before.departmentId(), before.attrs(),
      last ? before.stage() : before.stage() + 1, List.copyOf(approvals), before.findings(), before.findingsVersion(),
      append(before.history(), Item.historyEntry(principal.actor(), "approved", before.version(), before.stage(),
        decision.comment(), now)), before.createdBy(), before.createdAt(), now, before.publishedAt());
  }

  private Item rejected(Item before, Decision decision, Principal principal, Instant now) {
    return new Item(before.kind(), before.id(), ReviewStatus.REJECTED, before.version(), before.title(),
      before.body(), before.departmentId(), before.attrs(), 0, List.of(), before.findings(), before.findingsVersion(),
      append(before.history(), Item.historyEntry(principal.actor(), "rejected", before.version(), before.stage(),
        decision.comment(), now)), before.createdBy(), before.createdAt(), now, before.publishedAt());
  }

  private void publish(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Instant now = clock.instant();
    load(kind, ctx.pathParam("id"))
      .compose(before -> allow(before, ReviewStatus.Action.PUBLISH)
        .compose(ok -> readyToPublish(before))
        .compose(ok -> lateness(before, now))
        .map(late -> {
          Document attrs = new Document(before.attrs());
          if (late != null) {
            attrs.put("late", late);
          }
          return new Item(kind, before.id(), ReviewStatus.PUBLISHED, before.version(), before.title(), before.body(),
            before.departmentId(), attrs, before.stage(), before.approvals(), before.findings(),
            before.findingsVersion(), append(before.history(), Item.historyEntry(principal.actor(), "published",
            before.version(), null, null, now)), before.createdBy(), before.createdAt(), now, now);
        })
        .compose(after -> items.replace(before, after))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".publish", before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /**
   * 同步部署: a document goes out with an approved interpretation (or its recorded exemption), and an
   * interpretation never before its document.
   */
  private Future<Void> readyToPublish(Item item) {
    if (item.kind() == ItemKind.DOCUMENT) {
      if (item.attrs().get("interpretationExemption") != null) {
        return Future.succeededFuture();
      }
      return items.interpretationsApproved(item.id()).compose(count -> count > 0 ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("interpretation-required", "政策文件须与解读同步发布",
          "至少一篇解读须已通过审核，或由审核人员登记豁免理由。")));
    }
    return items.find(ItemKind.DOCUMENT, item.attrs().getString("documentId")).compose(document ->
      document != null && document.status() == ReviewStatus.PUBLISHED ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("document-not-published", "解读不能先于政策文件发布", null)));
  }

  /**
   * An interpretation published more than {@link #INTERPRETATION_DUE_DAYS} days after its document is flagged.
   * Counted in calendar days until the working-day calendar (调休) arrives with the inbox; the flag says so.
   */
  private Future<Document> lateness(Item item, Instant now) {
    if (item.kind() != ItemKind.INTERPRETATION) {
      return Future.succeededFuture(null);
    }
    return items.find(ItemKind.DOCUMENT, item.attrs().getString("documentId")).map(document -> {
      if (document == null || document.publishedAt() == null) {
        return null;
      }
      long days = java.time.temporal.ChronoUnit.DAYS.between(document.publishedAt().atZone(Times.ZONE).toLocalDate(),
        now.atZone(Times.ZONE).toLocalDate());
      return days > INTERPRETATION_DUE_DAYS
        ? new Document("days", days).append("dueDays", INTERPRETATION_DUE_DAYS).append("counting", "calendar-days")
          .append("note", "工作日历上线前按自然日计算；文件发布后 " + days + " 天才发布解读，超过 3 日")
        : null;
    });
  }

  // Documents only

  /** 同步审签: a reviewer may let a document go to review without an interpretation, recording why. */
  private void exemption(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.REVIEWER);
    Input input = Input.of(ctx);
    String reason = input.string("reason", 500);
    input.validate();
    Instant now = clock.instant();
    load(ItemKind.DOCUMENT, ctx.pathParam("id"))
      .compose(before -> {
        if (before.status() != ReviewStatus.DRAFT && before.status() != ReviewStatus.REJECTED) {
          return Future.failedFuture(Problem.conflict("wrong-status", "只能在送审前登记豁免", null));
        }
        if (before.authors().contains(principal.staffId())) {
          return Future.failedFuture(Problem.forbidden("不能为自己撰写的文件登记豁免。").with("reason", "own-item"));
        }
        Document attrs = new Document(before.attrs()).append("interpretationExemption", new Document("reason", reason)
          .append("by", principal.username()).append("byId", principal.staffId()).append("at", Times.date(now)));
        Item after = withAttrs(before, attrs, Item.historyEntry(principal.actor(), "exempted", before.version(), null,
          reason, now), now);
        return items.replace(before, after).compose(saved -> indexAndAudit(ctx, saved, "document.exemption", before));
      })
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** Marks a document amended, repealed or expired, with a link to its successor; no new version. */
  private void validity(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    String validity = input.oneOf("validity", ItemFields.VALIDITIES);
    String successorId = input.optionalMatching("successorId", Ids.FORMAT, "政策文件 id");
    String note = input.optionalString("note", 500);
    if ("amended".equals(validity) && successorId == null) {
      input.error("successorId", "已修改的文件须指明修改后的文件");
    }
    input.validate();
    String id = ctx.pathParam("id");
    if (id.equals(successorId)) {
      throw Problem.badRequest("invalid-successor", "文件不能以自己为后继", null);
    }
    Instant now = clock.instant();
    load(ItemKind.DOCUMENT, id)
      .compose(before -> successor(successorId, id)
        .compose(successor -> {
          Document attrs = new Document(before.attrs()).append("validity", validity).append("successorId", successorId)
            .append("validityNote", note);
          Item after = withAttrs(before, attrs, Item.historyEntry(principal.actor(), "validity:" + validity,
            before.version(), null, note, now), now);
          return items.replace(before, after).compose(saved -> indexAndAudit(ctx, saved, "document.validity", before));
        }))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** The successor named by a validity change: an existing document that does not name this one back. */
  private Future<Item> successor(String successorId, String id) {
    if (successorId == null) {
      return Future.succeededFuture(null);
    }
    return items.find(ItemKind.DOCUMENT, successorId).compose(successor -> {
      if (successor == null) {
        return Future.failedFuture(Problem.badRequest("unknown-successor", "后继文件不存在", "successorId: " + successorId));
      }
      if (id.equals(successor.attrs().getString("successorId"))) {
        return Future.failedFuture(Problem.badRequest("invalid-successor", "两份文件不能互为后继", null));
      }
      return Future.succeededFuture(successor);
    });
  }

  /** 失效文件清单. */
  private void expired(RoutingContext ctx) {
    Page page = Page.of(ctx);
    items.expiredDocuments(clock.instant(), page)
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, this::presentSummary, Item::id)))
      .onFailure(ctx::fail);
  }

  // Reading

  private void list(RoutingContext ctx, ItemKind kind) {
    Page page = Page.of(ctx);
    items.list(kind, filter(ctx, kind), page)
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, this::presentSummary, Item::id)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx, ItemKind kind) {
    load(kind, ctx.pathParam("id"))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** The history of versions: earlier ones from their snapshots, then the current one. */
  private void versions(RoutingContext ctx, ItemKind kind) {
    load(kind, ctx.pathParam("id"))
      .compose(item -> items.versions(kind, item.id()).map(snapshots -> {
        JsonArray list = new JsonArray();
        snapshots.forEach(s -> list.add(new JsonObject().put("version", s.get("version")).put("title", s.getString("title"))
          .put("body", s.getString("body")).put("fields", new JsonObject(s.get("attrs", new Document()).toJson()))
          .put("savedAt", Times.show(Times.instant(s.getDate("updatedAt"))))));
        list.add(new JsonObject().put("version", item.version()).put("title", item.title()).put("body", item.body())
          .put("fields", new JsonObject(item.attrs().toJson())).put("savedAt", Times.show(item.updatedAt()))
          .put("current", true));
        return new JsonObject().put("items", list).put("next", (String) null);
      }))
      .onSuccess(json -> Reply.ok(ctx, json))
      .onFailure(ctx::fail);
  }

  // Helpers

  private Bson filter(RoutingContext ctx, ItemKind kind) {
    List<Bson> filters = new ArrayList<>();
    String status = ctx.request().getParam("status");
    if (status != null) {
      if (!Set.of("draft", "in_review", "approved", "rejected", "published").contains(status)) {
        throw Problem.badRequest("invalid-parameter", "查询参数有误", "status 取值无效。");
      }
      filters.add(eq("status", status));
    }
    String reference = kind == ItemKind.DOCUMENT ? "departmentId" : "documentId";
    String value = ctx.request().getParam(reference);
    if (value != null) {
      if (!Ids.valid(value)) {
        throw Problem.badRequest("invalid-parameter", "查询参数有误", reference + " 应为 id。");
      }
      filters.add(eq(kind == ItemKind.DOCUMENT ? "departmentId" : "attrs.documentId", value));
    }
    return filters.isEmpty() ? new Document() : and(filters);
  }

  /** The department: a document's must exist; an interpretation takes its document's (谁起草谁解读). */
  private Future<String> checkReferences(ItemKind kind, ItemFields fields) {
    List<String> assetIds = new ArrayList<>();
    assetIds.addAll(fields.attrs().getList("attachmentIds", String.class, List.of()));
    assetIds.addAll(fields.attrs().getList("assetIds", String.class, List.of()));
    Future<Void> assets = assetIds.isEmpty() ? Future.succeededFuture() : assetTypes.apply(assetIds).compose(types -> {
      List<String> unknown = assetIds.stream().filter(id -> !types.containsKey(id)).toList();
      return unknown.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(Problem.badRequest("unknown-asset", "引用的媒体素材不存在", String.join(", ", unknown)));
    });
    if (kind == ItemKind.DOCUMENT) {
      return assets.compose(v -> departments.requireExisting(fields.departmentId(), "departmentId", "起草部门不存在"))
        .map(fields.departmentId());
    }
    String documentId = fields.attrs().getString("documentId");
    if (documentId == null) {
      return assets.map((String) null);
    }
    return assets.compose(v -> items.find(ItemKind.DOCUMENT, documentId)).compose(document -> document == null
      ? Future.failedFuture(Problem.badRequest("unknown-document", "解读所对应的政策文件不存在", "documentId: " + documentId))
      : Future.succeededFuture(document.departmentId()));
  }

  /** 同步审签 for documents; for interpretations, the media their form promises. */
  private Future<Void> readyForReview(Item item) {
    if (item.kind() == ItemKind.DOCUMENT) {
      if (item.attrs().get("interpretationExemption") != null) {
        return Future.succeededFuture();
      }
      return items.interpretationsGoingWith(item.id()).compose(count -> count > 0 ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("interpretation-required", "政策文件须与解读同步送审",
          "请先提交至少一篇解读，或由审核人员登记豁免理由（POST /api/v1/documents/{id}/exemption）。")));
    }
    String form = item.attrs().getString("form");
    String needed = switch (form) {
      case "infographic" -> "image";
      case "video" -> "video";
      case "audio" -> "audio";
      default -> null;
    };
    List<String> assetIds = item.attrs().getList("assetIds", String.class, List.of());
    if (needed == null) {
      return Future.succeededFuture();
    }
    return (assetIds.isEmpty() ? Future.succeededFuture(Map.<String, String>of()) : assetTypes.apply(assetIds))
      .compose(types -> types.containsValue(needed) ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("media-required", "该解读形式需要相应的媒体素材",
          form + " 形式的解读至少需要一个 " + needed + " 类素材。")));
  }

  /** The short fields checked besides title and body: where a wrong institution name or title also blocks. */
  private static Map<String, String> checkedFields(Item item) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String name : List.of("docNumber", "issuer", "category")) {
      fields.put(name, item.attrs().getString(name));
    }
    if (item.attrs().get("interpreter") instanceof Document interpreter) {
      fields.put("interpreter.name", interpreter.getString("name"));
      fields.put("interpreter.title", interpreter.getString("title"));
    }
    return fields;
  }

  private Future<Void> allow(Item item, ReviewStatus.Action action) {
    return item.status().allows(action) ? Future.succeededFuture()
      : Future.failedFuture(Problem.conflict(item.status() == ReviewStatus.PUBLISHED ? "not-editable" : "wrong-status",
        "当前状态（" + item.status().label() + "）不能执行此操作", null));
  }

  /** Audits the change, then indexes it for search; a failed index update is logged, not the request's failure. */
  private Future<Item> indexAndAudit(RoutingContext ctx, Item item, String action, Item before) {
    Principal principal = Principal.of(ctx);
    return audit.append(principal.actor(), action, item.kind().wire(), item.id(),
        before == null ? null : auditSummary(before), auditSummary(item), RequestLog.id(ctx))
      .compose(v -> search.put(new SearchIndex.Entry(item.kind().wire(), item.id(), item.title(),
          HtmlBodies.text(item.body()), item.status().wire(), item.departmentId(), item.updatedAt()))
        .recover(failure -> {
          log.warn("search index not updated for {} {}; it catches up on the next change or reload",
            item.kind().wire(), item.id(), failure);
          return Future.succeededFuture();
        }))
      .map(item);
  }

  private static JsonObject auditSummary(Item item) {
    return new JsonObject().put("status", item.status().wire()).put("version", item.version())
      .put("title", PersonalData.mask(item.title())).put("stage", item.stage());
  }

  private Item withAttrs(Item before, Document attrs, Document historyEntry, Instant now) {
    return new Item(before.kind(), before.id(), before.status(), before.version(), before.title(), before.body(),
      before.departmentId(), attrs, before.stage(), before.approvals(), before.findings(), before.findingsVersion(),
      append(before.history(), historyEntry), before.createdBy(), before.createdAt(), now, before.publishedAt());
  }

  private JsonObject present(Item item) {
    return withEffectiveValidity(item, item.toJson(stages));
  }

  private JsonObject presentSummary(Item item) {
    return withEffectiveValidity(item, item.summary(stages));
  }

  /** A document past its expiry date is shown expired, whatever was recorded. */
  private JsonObject withEffectiveValidity(Item item, JsonObject json) {
    java.util.Date expiresAt = item.attrs().getDate("expiresAt");
    if (item.kind() == ItemKind.DOCUMENT && "valid".equals(json.getString("validity")) && expiresAt != null
      && expiresAt.toInstant().isBefore(clock.instant())) {
      json.put("validity", "expired");
    }
    return json;
  }

  private static JsonArray findingsJson(Item item) {
    JsonArray array = new JsonArray();
    item.findings().stream().filter(Finding::blocks).forEach(f -> array.add(f.toJson()));
    return array;
  }

  private Future<Item> load(ItemKind kind, String id) {
    return Ids.lookup(id, i -> items.find(kind, i), kind.label());
  }

  private static List<Document> append(List<Document> history, Document entry) {
    List<Document> all = new ArrayList<>(history);
    all.add(entry);
    return List.copyOf(all);
  }
}
