package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Input;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/cases/{id}/publish} asks for a case's reply to be published (masked, to review);
 * {@code /api/v1/public-replies} lists the records in the member's scope, one by one, and reviewers approve or
 * reject them. (The mini-program's public list reads the published ones.)
 */
final class DisclosureRoutes {

  private final Disclosures disclosures;
  private final DepartmentStore departments;

  DisclosureRoutes(Disclosures disclosures, DepartmentStore departments) {
    this.disclosures = disclosures;
    this.departments = departments;
  }

  void mount(Router root) {
    root.post("/api/v1/cases/:id/publish").handler(this::request);
    root.get("/api/v1/public-replies").handler(this::list);
    root.get("/api/v1/public-replies/:id").handler(this::read);
    root.post("/api/v1/public-replies/:id/approve").handler(ctx -> decide(ctx, true));
    root.post("/api/v1/public-replies/:id/reject").handler(ctx -> decide(ctx, false));
  }

  private void request(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = CaseRoutes.optionalBody(ctx);
    String question = input.optionalText("question", Disclosures.QUESTION_MAX);
    String reply = input.optionalText("reply", Replies.TEXT_MAX);
    input.validate();
    CaseScope.of(principal, departments)
      .compose(scope -> disclosures.request(scope, ctx.pathParam("id"), question, reply, RequestLog.id(ctx)))
      .onSuccess(record -> Reply.created(ctx, record.toJson()))
      .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = staff(ctx);
    Page page = Page.of(ctx);
    String status = ctx.request().getParam("status");
    String department = ctx.request().getParam("departmentId");
    PublicReply.Status wanted = status == null || status.isEmpty() ? null : PublicReply.Status.parse(status)
      .orElseThrow(() -> invalid("status 应为 pending_review、published、rejected 之一。"));
    if (department != null && !department.isEmpty() && !Ids.valid(department)) {
      throw invalid("departmentId 应为 id。");
    }
    String departmentId = department == null || department.isEmpty() ? null : department;
    CaseScope.of(principal, departments)
      .compose(scope -> disclosures.list(scope, wanted, departmentId, page.cursor(), page.limit()))
      .onSuccess(found -> Reply.ok(ctx, page.answer(found, PublicReply::toJson, PublicReply::id)))
      .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    Principal principal = staff(ctx);
    CaseScope.of(principal, departments)
      .compose(scope -> disclosures.visible(scope, ctx.pathParam("id")))
      .onSuccess(record -> Reply.ok(ctx, record.toJson()))
      .onFailure(ctx::fail);
  }

  private void decide(RoutingContext ctx, boolean approve) {
    Principal principal = staff(ctx);
    Input input = approve ? CaseRoutes.optionalBody(ctx) : Input.of(ctx);
    String note = approve ? input.optionalText("note", 500) : input.text("reason", 500);
    input.validate();
    CaseScope.of(principal, departments)
      .compose(scope -> disclosures.decide(scope, ctx.pathParam("id"), approve, note, RequestLog.id(ctx)))
      .onSuccess(record -> Reply.ok(ctx, record.toJson()))
      .onFailure(ctx::fail);
  }

  private static Principal staff(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.ADMIN, Role.REPLIER, Role.DISPATCHER, Role.SUPERVISOR);
    return principal;
  }

  private static Problem invalid(String detail) {
    return Problem.badRequest("invalid-parameter", "查询参数有误", detail);
  }
}
