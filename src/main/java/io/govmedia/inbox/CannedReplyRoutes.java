package io.govmedia.inbox;

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
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/canned-replies}: the texts repliers start a reply from. Repliers, dispatchers and supervisors read
 * the office-wide ones and those of the departments they see; a department's heads write its own, admins any (the
 * office-wide ones only admins). One outside the reader's reach is a 404.
 */
final class CannedReplyRoutes {

  private static final Set<String> CATEGORIES = Arrays.stream(Category.values()).map(Category::wire)
    .collect(Collectors.toUnmodifiableSet());

  private final CannedReplyStore store;
  private final DepartmentStore departments;
  private final AuditLog audit;
  private final Clock clock;

  CannedReplyRoutes(CannedReplyStore store, DepartmentStore departments, AuditLog audit, Clock clock) {
    this.store = store;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router root) {
    root.post("/api/v1/canned-replies").handler(this::create);
    root.get("/api/v1/canned-replies").handler(this::list);
    root.get("/api/v1/canned-replies/:id").handler(this::read);
    root.put("/api/v1/canned-replies/:id").handler(this::update);
    root.delete("/api/v1/canned-replies/:id").handler(this::delete);
  }

  /** What a create or an update sends. */
  private record Fields(String departmentId, String title, String text, Category category) {

    static Fields read(Input input, boolean create) {
      String department = create ? input.optionalMatching("departmentId", Ids.FORMAT, "部门 id") : null;
      if (!create && input.has("departmentId")) {
        input.error("departmentId", "所属部门不可修改；请新建");
      }
      String title = input.string("title", CannedReply.TITLE_MAX);
      String text = input.text("text", CannedReply.TEXT_MAX);
      String category = input.has("category") && input.optionalString("category", 64) != null
        ? input.oneOf("category", CATEGORIES) : null;
      input.validate();
      return new Fields(department, title, text, category == null ? null : Category.parse(category).orElseThrow());
    }
  }

  private void create(RoutingContext ctx) {
    Principal principal = reader(ctx);
    Fields fields = Fields.read(Input.of(ctx), true);
    requireWriter(principal, fields.departmentId());
    var now = clock.instant();
    departments.requireExisting(fields.departmentId(), "departmentId", "部门不存在")
      .compose(ok -> store.insert(new CannedReply(Ids.newId(), fields.departmentId(), fields.title(), fields.text(),
        fields.category(), principal.username(), now, now, 1)))
      .compose(created -> audited(ctx, principal, "canned-reply.create", created.id(), null, created))
      .onSuccess(created -> Reply.created(ctx, created.toJson()))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = reader(ctx);
    Page page = Page.of(ctx);
    String department = ctx.request().getParam("departmentId");
    String category = ctx.request().getParam("category");
    if (department != null && !department.isEmpty() && !Ids.valid(department)
      || category != null && !category.isEmpty() && !CATEGORIES.contains(category)) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "departmentId 应为 id，category 应为工单类别。");
    }
    String wanted = department == null || department.isEmpty() ? null : department;
    Category kind = category == null || category.isEmpty() ? null : Category.parse(category).orElseThrow();
    CaseScope.of(principal, departments)
      .compose(scope -> wanted != null && !scope.everything() && !scope.departments().contains(wanted)
        ? Future.succeededFuture(java.util.List.<CannedReply>of())
        : store.list(scope.everything(), scope.departments(), wanted, kind, page.cursor(), page.limit()))
      .onSuccess(found -> Reply.ok(ctx, page.answer(found, CannedReply::toJson, CannedReply::id)))
      .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    visible(ctx, reader(ctx))
      .onSuccess(found -> Reply.ok(ctx, found.toJson()))
      .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal principal = reader(ctx);
    Long version = Input.ifMatch(ctx);
    Fields fields = Fields.read(Input.of(ctx), false);
    visible(ctx, principal)
      .compose(before -> {
        requireWriter(principal, before.departmentId());
        Input.requireVersion(version, before.version());
        return store.replace(before, before.edited(fields.title(), fields.text(), fields.category(), clock.instant()))
          .compose(after -> audited(ctx, principal, "canned-reply.update", after.id(), before, after));
      })
      .onSuccess(after -> Reply.ok(ctx, after.toJson()))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Principal principal = reader(ctx);
    visible(ctx, principal)
      .compose(found -> {
        requireWriter(principal, found.departmentId());
        return store.delete(found).compose(v -> audited(ctx, principal, "canned-reply.delete", found.id(), found, null));
      })
      .onSuccess(v -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  // Shared steps

  private static Principal reader(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);
    return principal;
  }

  private static void requireWriter(Principal principal, String departmentId) {
    if (principal.isAdmin() || Reviewers.heads(principal, departmentId)) {
      return;
    }
    throw Problem.forbidden(departmentId == null ? "全局常用答复只有管理员可以维护" : "只有该部门的负责人或管理员可以维护其常用答复");
  }

  /** The canned reply if the member may read it: office-wide, or of a department they see; else 404. */
  private Future<CannedReply> visible(RoutingContext ctx, Principal principal) {
    return Ids.lookup(ctx.pathParam("id"), store::find, "常用答复")
      .compose(found -> CaseScope.of(principal, departments).compose(scope -> found.departmentId() == null
        || scope.everything() || scope.departments().contains(found.departmentId())
        ? Future.succeededFuture(found) : Future.failedFuture(Problem.notFound("常用答复"))));
  }

  private Future<CannedReply> audited(RoutingContext ctx, Principal principal, String action, String id,
                                       CannedReply before, CannedReply after) {
    return audit.append(principal.actor(), action, "canned_reply", id, before == null ? null : before.auditSummary(),
      after == null ? null : after.auditSummary(), RequestLog.id(ctx)).map(after);
  }
}
