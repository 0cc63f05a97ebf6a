package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Idempotency;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Set;

/**
 * Replies on a case: {@code POST /api/v1/cases/{id}/reply} (a draft, a reply for review, or a reply sent; takes
 * {@code Idempotency-Key}), its review ({@code …/replies/{replyId}/approve|reject}), and what staff do when it did not
 * reach the citizen ({@code …/redeliver}, {@code …/reached}); and each department's setting
 * {@code /api/v1/reply-settings/{departmentId}} (whether its replies are reviewed, whether its cases are assigned
 * automatically or wait to be claimed).
 */
final class ReplyRoutes {

  private static final Set<String> REACHED_HOW = Set.of("phone", "sms", "letter", "visit", "other");

  private final Replies replies;
  private final ReplySettings settings;
  private final DepartmentStore departments;
  private final AuditLog audit;
  private final Clock clock;

  ReplyRoutes(Replies replies, ReplySettings settings, DepartmentStore departments, AuditLog audit, Clock clock) {
    this.replies = replies;
    this.settings = settings;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  void mount(Router root) {
    root.post("/api/v1/cases/:id/reply").handler(this::reply);
    root.post("/api/v1/cases/:id/replies/:replyId/approve").handler(this::approve);
    root.post("/api/v1/cases/:id/replies/:replyId/reject").handler(this::reject);
    root.post("/api/v1/cases/:id/replies/:replyId/redeliver").handler(this::redeliver);
    root.post("/api/v1/cases/:id/replies/:replyId/reached").handler(this::reached);
    root.get("/api/v1/reply-settings/:departmentId").handler(this::readSettings);
    root.put("/api/v1/reply-settings/:departmentId").handler(this::saveSettings);
  }

  private void reply(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Replies.Request request = new Replies.Request(input.text("text", Replies.TEXT_MAX),
      input.optionalMatching("cannedReplyId", Ids.FORMAT, "常用答复 id"),
      input.strings("documentIds", Replies.DOCUMENTS_MAX, Ids.FORMAT),
      Boolean.TRUE.equals(input.optionalBoolean("draft")),
      input.optionalMatching("replyId", Ids.FORMAT, "答复 id"));
    input.validate();
    String key = Idempotency.key(ctx);
    CaseScope.of(principal, departments)
      .compose(scope -> replies.reply(scope, ctx.pathParam("id"), request, key, RequestLog.id(ctx)))
      .onSuccess(reply -> Reply.created(ctx, reply.toJson()))
      .onFailure(ctx::fail);
  }

  private void approve(RoutingContext ctx) {
    Input input = CaseRoutes.optionalBody(ctx);
    String note = input.optionalText("note", 500);
    input.validate();
    scope(ctx).compose(scope -> replies.approve(scope, ctx.pathParam("id"), ctx.pathParam("replyId"), note,
        RequestLog.id(ctx)))
      .onSuccess(reply -> Reply.ok(ctx, reply.toJson()))
      .onFailure(ctx::fail);
  }

  private void reject(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String reason = input.text("reason", 500);
    input.validate();
    scope(ctx).compose(scope -> replies.reject(scope, ctx.pathParam("id"), ctx.pathParam("replyId"), reason,
        RequestLog.id(ctx)))
      .onSuccess(reply -> Reply.ok(ctx, reply.toJson()))
      .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    Input input = CaseRoutes.optionalBody(ctx);
    input.validate();
    scope(ctx).compose(scope -> replies.redeliver(scope, ctx.pathParam("id"), ctx.pathParam("replyId"),
        RequestLog.id(ctx)))
      .onSuccess(reply -> Reply.ok(ctx, reply.toJson()))
      .onFailure(ctx::fail);
  }

  private void reached(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String how = input.oneOf("how", REACHED_HOW);
    String note = input.text("note", 500);
    input.validate();
    scope(ctx).compose(scope -> replies.reached(scope, ctx.pathParam("id"), ctx.pathParam("replyId"), how, note,
        RequestLog.id(ctx)))
      .onSuccess(reply -> Reply.ok(ctx, reply.toJson()))
      .onFailure(ctx::fail);
  }

  /** The member's case scope; a malformed reply id is a 404 like an unknown one. */
  private Future<CaseScope> scope(RoutingContext ctx) {
    if (!Ids.valid(ctx.pathParam("replyId"))) {
      return Future.failedFuture(Problem.notFound("答复"));
    }
    return CaseScope.of(Principal.of(ctx), departments);
  }

  // A department's setting

  private void readSettings(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);
    department(ctx, principal)
      .compose(settings::of)
      .onSuccess(found -> Reply.ok(ctx, found.toJson()))
      .onFailure(ctx::fail);
  }

  /**
   * Admins, and the department's heads, decide whether its replies are reviewed ({@code review}) and how its cases find
   * a replier ({@code assignment}: auto | claim). A field left out keeps its value; one of them is needed.
   */
  private void saveSettings(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Boolean review = input.optionalBoolean("review");
    String assignment = input.has("assignment") ? input.oneOf("assignment", ReplySettings.ASSIGNMENT_MODES) : null;
    if (review == null && input.has("review")) {
      input.error("review", "应为 true 或 false");
    }
    if (!input.has("review") && !input.has("assignment")) {
      input.error("review", "review 与 assignment 至少填写一项");
    }
    input.validate();
    department(ctx, principal).compose(id -> {
      if (!principal.isAdmin() && !Reviewers.heads(principal, id)) {
        throw Problem.forbidden("只有该部门的负责人或管理员可以修改部门设置");
      }
      return settings.of(id).compose(before -> settings.save(new ReplySettings.Settings(id,
          review == null ? before.review() : review, assignment == null ? before.assignment() : assignment,
          principal.username(), clock.instant()))
        .compose(after -> audit.append(principal.actor(), "reply-settings.update", "department", id,
          new JsonObject().put("review", before.review()).put("assignment", before.assignment()),
          new JsonObject().put("review", after.review()).put("assignment", after.assignment()),
          RequestLog.id(ctx)).map(after)));
    }).onSuccess(saved -> Reply.ok(ctx, saved.toJson())).onFailure(ctx::fail);
  }

  /** The department of the path if the member sees it (admins: any that exists); else 404. */
  private Future<String> department(RoutingContext ctx, Principal principal) {
    return Ids.lookup(ctx.pathParam("departmentId"), departments::find, "部门")
      .compose(found -> CaseScope.of(principal, departments).compose(scope -> scope.everything()
        || scope.departments().contains(found.id()) ? Future.succeededFuture(found.id())
        : Future.failedFuture(Problem.notFound("部门"))));
  }
}
