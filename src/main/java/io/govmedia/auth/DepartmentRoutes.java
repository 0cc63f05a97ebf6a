package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;

/** {@code /api/v1/departments}: the office's department tree. Everyone signed in reads it; admins change it. */
final class DepartmentRoutes {

  private final DepartmentStore store;
  private final AuditLog audit;
  private final Clock clock;

  public DepartmentRoutes(DepartmentStore store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/").handler(this::create);
    router.get("/").handler(this::list);
    router.get("/:id").handler(this::get);
    router.patch("/:id").handler(this::update);
    return router;
  }

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String name = input.string("name", 64);
    String parentId = input.optionalMatching("parentId", Ids.FORMAT, "部门 id");
    input.validate();
    var now = clock.instant();
    Department department = new Department(Ids.newId(), name, parentId, now, now, 1);
    store.requireExisting(parentId, "parentId", "上级部门不存在")
      .compose(ok -> store.insert(department))
      .compose(created -> audit.append(principal.actor(), "department.create", "department", created.id(), null,
        created.auditSummary(), RequestLog.id(ctx)).map(created))
      .onSuccess(created -> Reply.created(ctx, created.toJson()))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Page page = Page.of(ctx);
    String parentId = ctx.request().getParam("parentId");
    if (parentId != null && !Ids.valid(parentId)) {
      throw Problem.badRequest("invalid-parameter", "查询参数有误", "parentId 应为部门 id。");
    }
    boolean roots = "true".equals(ctx.request().getParam("roots"));
    store.list(page, parentId, roots)
      .onSuccess(items -> Reply.ok(ctx, page.answer(items, Department::toJson, Department::id)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    load(ctx.pathParam("id"))
      .onSuccess(department -> Reply.ok(ctx, department.toJson()))
      .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN);
    Input input = Input.of(ctx);
    String name = input.optionalString("name", 64);
    boolean moves = input.has("parentId");
    String parentId = input.optionalMatching("parentId", Ids.FORMAT, "部门 id");
    input.validate();
    Long expected = Input.ifMatch(ctx);
    load(ctx.pathParam("id"))
      .compose(before -> {
        Input.requireVersion(expected, before.version());
        return Future.succeededFuture(before);
      })
      .compose(before -> moved(before, moves, parentId).map(newParent -> new Department(before.id(),
        name == null ? before.name() : name, newParent, before.createdAt(), clock.instant(), before.version() + 1))
        .compose(after -> store.replace(before, after))
        .compose(after -> undoIfCycle(before, after))
        .compose(after -> audit.append(principal.actor(), "department.update", "department", after.id(),
          before.auditSummary(), after.auditSummary(), RequestLog.id(ctx)).map(after)))
      .onSuccess(after -> Reply.ok(ctx, after.toJson()))
      .onFailure(ctx::fail);
  }

  /**
   * Two moves at once (A under B, B under A) each pass the check above; whichever finds a loop after writing
   * puts its department back and reports the conflict, so the tree never stays cyclic.
   */
  private Future<Department> undoIfCycle(Department before, Department after) {
    if (after.parentId() == null || java.util.Objects.equals(before.parentId(), after.parentId())) {
      return Future.succeededFuture(after);
    }
    return store.tree().compose(tree -> {
      if (!tree.isWithin(after.parentId(), after.id())) {
        return Future.succeededFuture(after);
      }
      Department restored = new Department(before.id(), before.name(), before.parentId(), before.createdAt(),
        clock.instant(), after.version() + 1);
      return store.replace(after, restored).transform(undone -> Future.failedFuture(
        Problem.conflict("department-cycle", "不能把部门移到它自己或其下级部门之下", "另一位管理员同时移动了相关部门，请刷新后重试。")));
    });
  }

  /** The new parent, checked to exist and not to lie inside the department itself (no cycles). */
  private Future<String> moved(Department department, boolean moves, String parentId) {
    if (!moves) {
      return Future.succeededFuture(department.parentId());
    }
    if (parentId == null) {
      return Future.succeededFuture(null);
    }
    return store.tree().compose(tree -> {
      if (!tree.contains(parentId)) {
        return Future.failedFuture(Problem.badRequest("unknown-department", "上级部门不存在", "parentId: " + parentId));
      }
      if (tree.isWithin(parentId, department.id())) {
        return Future.failedFuture(Problem.conflict("department-cycle", "不能把部门移到它自己或其下级部门之下", null));
      }
      return Future.succeededFuture(parentId);
    });
  }


  private Future<Department> load(String id) {
    return Ids.lookup(id, store::find, "部门");
  }
}
