package io.govmedia.content;

import io.govmedia.checks.ContentChecks;
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
import io.govmedia.workdays.Workdays;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * {@code /api/v1/documents}, {@code /api/v1/interpretations} and {@code /api/v1/posts}: editors write and submit,
 * reviewers approve stage by stage (each stage a different reviewer, never an author), editors publish what passed
 * (posts are published by their slots instead). The same routes serve every kind; what differs (fields, what must go
 * along to review) is decided by the kind.
 */
public final class ContentRoutes {

  /** 谁起草谁解读: an interpretation is due within this many working days of its document (local rule). */
  static final int INTERPRETATION_DUE_DAYS = 3;

  private final ItemStore items;
  private final DepartmentStore departments;
  private final ContentChecks checks;
  private final ItemChanges changes;
  private final Function<Collection<String>, Future<Map<String, String>>> assetTypes;
  private final PostReferences postReferences;
  private final Consumer<String> newPostVersion;
  private final Clock clock;
  private final List<String> stages;
  private final Workdays workdays;
  private final DocumentAnnexes annexes;

  /** {@code newPostVersion} hears of every edit that made a new version of a post (its older slots must not go out). */
  public ContentRoutes(ItemStore items, DepartmentStore departments, ContentChecks checks, SearchIndex search,
                       Function<Collection<String>, Future<Map<String, String>>> assetTypes, AuditLog audit,
                       Clock clock, List<String> stages, Consumer<String> newPostVersion, Workdays workdays,
                       DocumentAnnexes annexes, PublicChanges publicChanges) {
    this.items = items;
    this.departments = departments;
    this.checks = checks;
    this.changes = new ItemChanges(audit, search, publicChanges);
    this.assetTypes = assetTypes;
    this.postReferences = new PostReferences(items, departments, assetTypes);
    this.newPostVersion = newPostVersion;
    this.clock = clock;
    this.stages = List.copyOf(stages);
    this.workdays = workdays;
    this.annexes = annexes;
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
    if (kind != ItemKind.POST) {  // posts are published by their slots, through ContentFeature.posts()
      router.post("/:id/publish").handler(ctx -> publish(ctx, kind));
    }
    router.get("/:id/versions").handler(ctx -> versions(ctx, kind));
    return router;
  }

  // Writing

  private void create(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    ItemFields read = ItemFields.read(kind, input, true);
    input.validate();
    Instant now = clock.instant();
    scope(principal)
      .compose(scope -> checkReferences(kind, read, scope, principal, true)
        .map(fields -> fields.with(fields.rawBody(), scope.requireWritableIn(fields.departmentId()), fields.attrs())))
      .compose(resolved -> resolved.withBody(checks::prepare)
        .map(fields -> Item.draft(kind, Ids.newId(), fields, fields.departmentId(), principal.actor(), now)))
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
    ItemFields read = ItemFields.read(kind, input, false);
    input.validate();
    Long expected = Input.ifMatch(ctx);
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, kind, ctx.pathParam("id"))
      .map(loaded -> current(loaded, expected))
      .map(loaded -> scope.requireMove(loaded, read.departmentId()))
      .compose(before -> checkReferences(kind, read, scope, principal, false)
        .compose(resolved -> resolved.withBody(checks::prepare)
          .map(fields -> before.edited(fields, fields.departmentId(), principal.actor(), now)))
        .compose(after -> items.snapshot(before).compose(v -> items.replace(before, after)))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".update", before))
        .compose(after -> carryInterpretations(ctx, after, now).map(after))
        .map(this::announceNewVersion)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** The item if the editor worked on its current version (If-Match, when given); 409 edit-conflict otherwise. */
  private static Item current(Item item, Long expected) {
    Input.requireVersion(expected, item.version());
    return item;
  }

  /** Tells publishing that a post has a new version, so that slots of the old one do not go out. */
  private Item announceNewVersion(Item item) {
    if (item.kind() == ItemKind.POST) {
      newPostVersion.accept(item.id());
    }
    return item;
  }

  /**
   * 谁起草谁解读: when an admin moves a document, its unpublished interpretations move with it, each by a guarded
   * write of its own, audited ({@code interpretation.move}) and indexed again. Runs after every edit of a document,
   * not only a move: an interpretation left behind (a failed write, an edit racing the move) follows at the
   * document's next edit. Published interpretations stay where they were issued.
   */
  private Future<Void> carryInterpretations(RoutingContext ctx, Item document, Instant now) {
    if (document.kind() != ItemKind.DOCUMENT) {
      return Future.succeededFuture();
    }
    return items.interpretationsOutside(document.id(), document.departmentId()).compose(left -> {
      Future<Void> chain = Future.succeededFuture();
      for (Item interpretation : left) {
        chain = chain.compose(v -> moveWithDocument(ctx, interpretation, document.departmentId(), now, true));
      }
      return chain;
    });
  }

  /** One interpretation moved; on an edit conflict, read again once and move what is there now. */
  private Future<Void> moveWithDocument(RoutingContext ctx, Item before, String departmentId, Instant now,
                                        boolean retry) {
    Item after = before.movedWithDocument(departmentId, Principal.of(ctx).actor(), now);
    return (after.version() > before.version() ? items.snapshot(before) : Future.<Void>succeededFuture())
      .compose(v -> items.replace(before, after))
      .compose(moved -> indexAndAudit(ctx, moved, "interpretation.move", before))
      .<Void>mapEmpty()
      .recover(failure -> retry && failure instanceof Problem problem && problem.status() == 409
        ? items.find(ItemKind.INTERPRETATION, before.id()).compose(current -> current == null
          || current.status() == ReviewStatus.PUBLISHED || departmentId.equals(current.departmentId())
          ? Future.succeededFuture() : moveWithDocument(ctx, current, departmentId, now, false))
        : Future.failedFuture(failure));
  }

  // Review

  private void submit(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Long expected = Input.ifMatch(ctx);
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, kind, ctx.pathParam("id")))
      .map(loaded -> current(loaded, expected))
      .compose(before -> readyForReview(before)
        .compose(ok -> checks.check(before.title(), before.body(), checkedFields(before)))
        .map(findings -> before.submitted(findings, principal.actor(), now))
        .compose(after -> items.replace(before, after))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".submit", before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  private void review(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.REVIEWER);
    Decision decision = Decision.read(Input.of(ctx), Input.ifMatch(ctx));
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, kind, ctx.pathParam("id")))
      .compose(before -> Future.succeededFuture(before.decided(decision.verdict(), decision.comment(),
          decision.version(), principal.actor(), stages.size(), now))
        .compose(after -> items.replace(before, after))
        .compose(after -> indexAndAudit(ctx, after, kind.wire() + ".review." + decision.wire(), before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /**
   * A reviewer's decision: {@code decision} approve or reject, a comment (required to reject), the version seen —
   * in the body or, as for every other edit, in If-Match.
   */
  private record Decision(Item.Verdict verdict, String comment, Long version) {
    static Decision read(Input input, Long ifMatch) {
      String verdict = input.oneOf("decision", Set.of("approve", "reject"));
      String comment = input.optionalText("comment", 1000);
      Long version = input.optionalLong("version");
      if ("reject".equals(verdict) && comment == null) {
        input.error("comment", "退回时必须填写意见");
      }
      input.validate();
      return new Decision("approve".equals(verdict) ? Item.Verdict.APPROVE : Item.Verdict.REJECT, comment,
        version != null ? version : ifMatch);
    }

    String wire() {
      return verdict == Item.Verdict.APPROVE ? "approve" : "reject";
    }
  }

  private void publish(RoutingContext ctx, ItemKind kind) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, kind, ctx.pathParam("id")))
      .compose(before -> readyToPublish(before)
        .compose(ok -> lateness(before, now))
        .map(late -> before.published(late, principal.actor(), now))
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
    item.status().require(ReviewStatus.Action.PUBLISH);
    if (item.kind() == ItemKind.DOCUMENT) {
      if (item.attrs().exemption() != null) {
        return Future.succeededFuture();
      }
      return items.interpretationsApproved(item.id()).compose(count -> count > 0 ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("interpretation-required", "政策文件须与解读同步发布",
          "至少一篇解读须已通过审核，或由审核人员登记豁免理由。")));
    }
    return items.find(ItemKind.DOCUMENT, item.attrs().documentId()).compose(document ->
      document != null && document.status() == ReviewStatus.PUBLISHED ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("document-not-published", "解读不能先于政策文件发布", null)));
  }

  /**
   * An interpretation published more than {@link #INTERPRETATION_DUE_DAYS} working days after its document is
   * flagged, counted on the working-day calendar (调休 included) from the day after the document's publication, both
   * days in Asia/Shanghai. A count that reached a year without a holiday table says so in its note.
   */
  private Future<Attrs.Late> lateness(Item item, Instant now) {
    if (item.kind() != ItemKind.INTERPRETATION) {
      return Future.succeededFuture(null);
    }
    return items.find(ItemKind.DOCUMENT, item.attrs().documentId()).map(document -> {
      if (document == null || document.publishedAt() == null) {
        return null;
      }
      LocalDate documentDay = document.publishedAt().atZone(Times.ZONE).toLocalDate();
      LocalDate today = now.atZone(Times.ZONE).toLocalDate();
      Workdays.Day due = workdays.add(documentDay, INTERPRETATION_DUE_DAYS);
      if (!today.isAfter(due.date())) {
        return null;
      }
      int days = workdays.between(documentDay, today);
      return new Attrs.Late(days, INTERPRETATION_DUE_DAYS, "working-days", "文件发布后第 " + days
        + " 个工作日才发布解读，超过 3 个工作日（最迟应于 " + due.date() + " 发布）"
        + (due.provisional() ? "；涉及的年份尚无节假日安排，暂按周一至周五计算" : ""));
    });
  }

  // Documents only

  /** 同步审签: a reviewer may let a document go to review without an interpretation, recording why. */
  private void exemption(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.REVIEWER);
    Input input = Input.of(ctx);
    String reason = input.text("reason", 500);
    input.validate();
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, ItemKind.DOCUMENT, ctx.pathParam("id")))
      .compose(before -> items.replace(before, before.exempted(reason, principal.actor(), now))
        .compose(after -> indexAndAudit(ctx, after, "document.exemption", before)))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /**
   * Marks a document amended, repealed or expired, with a link to its successor. On a version reviewers saw, this
   * makes a new version that goes through review again ({@link Item#withValidity}).
   */
  private void validity(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.EDITOR, Role.ADMIN);
    Input input = Input.of(ctx);
    String validity = input.oneOf("validity", ItemFields.VALIDITIES);
    String successorId = input.optionalMatching("successorId", Ids.FORMAT, "政策文件 id");
    String note = input.optionalText("note", 500);
    if ("amended".equals(validity) && successorId == null) {
      input.error("successorId", "已修改的文件须指明修改后的文件");
    }
    input.validate();
    String id = ctx.pathParam("id");
    if (id.equals(successorId)) {
      throw Problem.badRequest("invalid-successor", "文件不能以自己为后继", null);
    }
    Instant now = clock.instant();
    scope(principal).compose(scope -> writable(scope, ItemKind.DOCUMENT, id)
      .compose(before -> successor(scope, successorId, id)
        .map(successor -> before.withValidity(new Attrs.Validity(validity, successorId, note), principal.actor(), now))
        .compose(after -> (after.version() > before.version() ? items.snapshot(before) : Future.<Void>succeededFuture())
          .compose(v -> items.replace(before, after)))
        .compose(after -> indexAndAudit(ctx, after, "document.validity", before))))
      .onSuccess(item -> Reply.ok(ctx, present(item)))
      .onFailure(ctx::fail);
  }

  /** The successor named by a validity change: a document the editor sees that does not name this one back. */
  private Future<Item> successor(ContentScope scope, String successorId, String id) {
    if (successorId == null) {
      return Future.succeededFuture(null);
    }
    return items.find(ItemKind.DOCUMENT, successorId).compose(successor -> {
      if (successor == null || !scope.sees(successor)) {
        return Future.failedFuture(Problem.badRequest("unknown-successor", "后继文件不存在", "successorId: " + successorId));
      }
      if (successor.attrs().validity() != null && id.equals(successor.attrs().validity().successorId())) {
        return Future.failedFuture(Problem.badRequest("invalid-successor", "两份文件不能互为后继", null));
      }
      return Future.succeededFuture(successor);
    });
  }

  /** 失效文件清单: published documents only, which every staff member sees. */
  private void expired(RoutingContext ctx) {
    Page page = Page.of(ctx);
    items.expiredDocuments(clock.instant(), page)
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, this::presentSummary, Item::id)))
      .onFailure(ctx::fail);
  }

  // Reading

  private void list(RoutingContext ctx, ItemKind kind) {
    Page page = Page.of(ctx);
    Bson asked = filter(ctx, kind);
    scope(Principal.of(ctx)).compose(scope -> items.list(kind, and(scope.listFilter(), asked), page))
      .onSuccess(list -> Reply.ok(ctx, page.answer(list, this::presentSummary, Item::id)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx, ItemKind kind) {
    scope(Principal.of(ctx)).compose(scope -> load(scope, kind, ctx.pathParam("id")))
      .compose(this::presentWithAnnexes)
      .onSuccess(json -> Reply.ok(ctx, json))
      .onFailure(ctx::fail);
  }

  /** A document shows what other features annex to it (its consultation and adoption summary). */
  private Future<JsonObject> presentWithAnnexes(Item item) {
    if (item.kind() != ItemKind.DOCUMENT) {
      return Future.succeededFuture(present(item));
    }
    return annexes.of(item.id()).map(list -> {
      JsonObject json = present(item);
      list.forEach(annex -> json.put(annex.field(), annex.staffView()));
      return json;
    });
  }

  /** The history of versions: earlier ones from their snapshots, then the current one. */
  private void versions(RoutingContext ctx, ItemKind kind) {
    scope(Principal.of(ctx)).compose(scope -> load(scope, kind, ctx.pathParam("id")))
      .compose(item -> items.versions(kind, item.id()).map(snapshots -> {
        JsonArray list = new JsonArray();
        snapshots.forEach(s -> list.add(new JsonObject().put("version", s.get("version")).put("title", s.getString("title"))
          .put("body", s.getString("body")).put("fields", new JsonObject(s.get("attrs", new Document()).toJson()))
          .put("savedAt", Times.show(Times.instant(s.getDate("updatedAt"))))));
        list.add(new JsonObject().put("version", item.version()).put("title", item.title()).put("body", item.body())
          .put("fields", new JsonObject(item.attrs().toDocument().toJson())).put("savedAt", Times.show(item.updatedAt()))
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
    Map<String, String> references = switch (kind) {
      case DOCUMENT -> Map.of("departmentId", "departmentId");
      case INTERPRETATION -> Map.of("documentId", "attrs.documentId");
      case POST -> Map.of("departmentId", "departmentId", "sourceId", "attrs.sourceId");
    };
    references.forEach((reference, field) -> {
      String value = ctx.request().getParam(reference);
      if (value != null) {
        if (!Ids.valid(value)) {
          throw Problem.badRequest("invalid-parameter", "查询参数有误", reference + " 应为 id。");
        }
        filters.add(eq(field, value));
      }
    });
    return filters.isEmpty() ? new Document() : and(filters);
  }

  /**
   * The fields with their department: a document's must exist; an interpretation takes its document's (谁起草谁解读),
   * and a document the writer cannot see is as unknown as a missing one; a post's is checked and completed by
   * {@link PostReferences}. On an edit the department is null unless a move is asked for.
   */
  private Future<ItemFields> checkReferences(ItemKind kind, ItemFields fields, ContentScope scope, Principal principal,
                                             boolean creating) {
    if (kind == ItemKind.POST) {
      return postReferences.resolve(fields, scope, principal, creating);
    }
    List<String> assetIds = new ArrayList<>(fields.attrs().attachmentIds());
    assetIds.addAll(fields.attrs().assetIds());
    Future<Void> assets = assetIds.isEmpty() ? Future.succeededFuture() : assetTypes.apply(assetIds).compose(types -> {
      List<String> unknown = assetIds.stream().filter(id -> !types.containsKey(id)).toList();
      return unknown.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(Problem.badRequest("unknown-asset", "引用的媒体素材不存在", String.join(", ", unknown)));
    });
    if (kind == ItemKind.DOCUMENT) {
      return assets.compose(v -> departments.requireExisting(fields.departmentId(), "departmentId", "起草部门不存在"))
        .map(fields);
    }
    String documentId = fields.attrs().documentId();
    if (documentId == null) {
      return assets.map(fields);
    }
    return assets.compose(v -> items.find(ItemKind.DOCUMENT, documentId)).compose(document ->
      document == null || !scope.sees(document)
        ? Future.failedFuture(Problem.badRequest("unknown-document", "解读所对应的政策文件不存在", "documentId: " + documentId))
        : Future.succeededFuture(fields.with(fields.rawBody(), document.departmentId(), fields.attrs())));
  }

  /** 同步审签 for documents; for interpretations, the media their form promises; for posts nothing more. */
  private Future<Void> readyForReview(Item item) {
    item.status().require(ReviewStatus.Action.SUBMIT);
    if (item.kind() == ItemKind.POST) {
      return Future.succeededFuture();
    }
    if (item.kind() == ItemKind.DOCUMENT) {
      if (item.attrs().exemption() != null) {
        return Future.succeededFuture();
      }
      return items.interpretationsGoingWith(item.id()).compose(count -> count > 0 ? Future.succeededFuture()
        : Future.failedFuture(Problem.conflict("interpretation-required", "政策文件须与解读同步送审",
          "请先提交至少一篇解读，或由审核人员登记豁免理由（POST /api/v1/documents/{id}/exemption）。")));
    }
    String form = item.attrs().interpretation().form();
    String needed = switch (form) {
      case "infographic" -> "image";
      case "video" -> "video";
      case "audio" -> "audio";
      default -> null;
    };
    List<String> assetIds = item.attrs().assetIds();
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
    if (item.attrs().post() != null) {
      return PostFields.checkedFields(item.attrs().post());
    }
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    Attrs.DocumentInfo document = item.attrs().document();
    if (document != null) {
      fields.put("docNumber", document.docNumber());
      fields.put("issuer", document.issuer());
      fields.put("category", document.category());
    }
    Attrs.InterpretationInfo interpretation = item.attrs().interpretation();
    if (interpretation != null && interpretation.interpreter() != null) {
      fields.put("interpreter.name", interpretation.interpreter().name());
      fields.put("interpreter.title", interpretation.interpreter().title());
    }
    return fields;
  }

  private Future<Item> indexAndAudit(RoutingContext ctx, Item item, String action, Item before) {
    return changes.recorded(Principal.of(ctx).actor(), RequestLog.id(ctx), item, action, before);
  }

  private JsonObject present(Item item) {
    return withEffectiveValidity(item, item.toJson(stages));
  }

  private JsonObject presentSummary(Item item) {
    return withEffectiveValidity(item, item.summary(stages));
  }

  /** A document past its expiry date is shown expired, whatever was recorded. */
  private JsonObject withEffectiveValidity(Item item, JsonObject json) {
    Instant expiresAt = item.attrs().expiresAt();
    if (item.kind() == ItemKind.DOCUMENT && "valid".equals(json.getString("validity")) && expiresAt != null
      && expiresAt.isBefore(clock.instant())) {
      json.put("validity", "expired");
    }
    return json;
  }

  private Future<ContentScope> scope(Principal principal) {
    return ContentScope.of(principal, departments);
  }

  /** The item if the principal sees it; 404 otherwise, as for an unknown id. */
  private Future<Item> load(ContentScope scope, ItemKind kind, String id) {
    return Ids.lookup(id, i -> items.find(kind, i), kind.label()).map(scope::seen);
  }

  /** The item if the principal may work on it: seen (else 404) and of a department in scope (else 403). */
  private Future<Item> writable(ContentScope scope, ItemKind kind, String id) {
    return load(scope, kind, id).map(scope::writable);
  }
}
