package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Duplicates and hot issues: {@code GET /api/v1/cases/{id}/similar} (other citizens' cases alike, to link),
 * {@code POST /api/v1/cases/{id}/link {"caseId"}} (both in the caller's scope), {@code GET /api/v1/hot-issues},
 * {@code GET /api/v1/hot-issues/{id}} and {@code PUT /api/v1/hot-issues/{id} {"major"}} (supervisors and admins).
 */
final class HotIssueRoutes {

  static final int SUGGESTIONS = 10;

  private final SimilarCases similar;
  private final HotIssues hotIssues;
  private final CaseActions actions;
  private final CaseStore store;
  private final DepartmentStore departments;
  private final AuditLog audit;

  HotIssueRoutes(SimilarCases similar, HotIssues hotIssues, CaseActions actions, CaseStore store,
                 DepartmentStore departments, AuditLog audit) {
    this.similar = similar;
    this.hotIssues = hotIssues;
    this.actions = actions;
    this.store = store;
    this.departments = departments;
    this.audit = audit;
  }

  void mount(Router root) {
    root.get("/api/v1/cases/:id/similar").handler(this::similar);
    root.post("/api/v1/cases/:id/link").handler(this::link);
    root.get("/api/v1/hot-issues").handler(this::list);
    root.get("/api/v1/hot-issues/:id").handler(this::one);
    root.put("/api/v1/hot-issues/:id").handler(this::major);
  }

  private void similar(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    CaseScope.of(principal, departments)
      .compose(scope -> actions.visible(scope, ctx.pathParam("id"))
        .compose(c -> similar.of(c, SUGGESTIONS * 3))
        .compose(found -> suggestions(scope, found)))
      .onSuccess(items -> Reply.ok(ctx, new JsonObject().put("items", items).put("next", null)))
      .onFailure(ctx::fail);
  }

  /** The suggestions the caller may see, most alike first. */
  private Future<JsonArray> suggestions(CaseScope scope, List<SimilarCases.Similar> found) {
    return store.written(found.stream().map(SimilarCases.Similar::caseId).toList()).map(cases -> {
      Map<String, Case> byId = cases.stream().collect(Collectors.toMap(Case::id, Function.identity()));
      JsonArray items = new JsonArray();
      for (SimilarCases.Similar s : found) {
        Case c = byId.get(s.caseId());
        if (c != null && scope.sees(c) && items.size() < SUGGESTIONS) {
          items.add(new JsonObject().put("id", c.id()).put("number", c.number()).put("title", c.title())
            .put("status", c.status().wire()).put("departmentId", c.departmentId())
            .put("receivedAt", Times.show(c.receivedAt())).put("similarity", s.similarity()));
        }
      }
      return items;
    });
  }

  private void link(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.DISPATCHER, Role.REPLIER, Role.SUPERVISOR);
    Input input = Input.of(ctx);
    String other = input.matching("caseId", Ids.FORMAT, "工单 id");
    input.validate();
    CaseScope.of(principal, departments)
      .compose(scope -> Future.all(actions.visible(scope, ctx.pathParam("id")), actions.visible(scope, other))
        .compose(both -> hotIssues.link(both.resultAt(0), both.resultAt(1), principal))
        .compose(cluster -> audit.append(principal.actor(), "case.link", "case", ctx.pathParam("id"), null,
          new JsonObject().put("caseId", other).put("hotIssueId", cluster), RequestLog.id(ctx)).map(cluster))
        .compose(cluster -> hotIssues.one(scope, cluster)))
      .onSuccess(issue -> Reply.ok(ctx, issue))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.DISPATCHER, Role.REPLIER, Role.SUPERVISOR);
    CaseScope.of(principal, departments)
      .compose(hotIssues::list)
      .onSuccess(items -> Reply.ok(ctx, new JsonObject().put("items", items).put("next", null)))
      .onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String id = ctx.pathParam("id");
    CaseScope.of(principal, departments)
      .compose(scope -> Ids.valid(id) ? hotIssues.one(scope, id) : Future.failedFuture(Problem.notFound("热点问题")))
      .onSuccess(issue -> Reply.ok(ctx, issue))
      .onFailure(ctx::fail);
  }

  private void major(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.SUPERVISOR);
    Input input = Input.of(ctx);
    Boolean major = input.optionalBoolean("major");
    if (major == null) {
      input.error("major", "应为 true（重大突发事件）或 false");
    }
    input.validate();
    String id = ctx.pathParam("id");
    CaseScope.of(principal, departments)
      .compose(scope -> (Ids.valid(id) ? hotIssues.one(scope, id) : Future.<JsonObject>failedFuture(Problem.notFound("热点问题")))
        .compose(seen -> hotIssues.major(id, major))
        .compose(v -> audit.append(principal.actor(), "hot-issue.major", "hot-issue", id, null,
          new JsonObject().put("major", major), RequestLog.id(ctx)))
        .compose(v -> hotIssues.one(scope, id)))
      .onSuccess(issue -> Reply.ok(ctx, issue))
      .onFailure(ctx::fail);
  }
}
