package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/audit}: the audit log, newest first, and a check of its hash chain. Admins only. */
final class AuditRoutes {

  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      Principal.of(ctx).require(Role.ADMIN);
      ctx.next();
    });
    router.get("/").handler(this::list);
    router.get("/verify").handler(this::verify);
    return router;
  }

  private void list(RoutingContext ctx) {
    Page page = Page.of(ctx);
    if (page.cursor() != null && !page.cursor().matches("[0-9]{1,18}")) {
      throw Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。");
    }
    audit.list(page)
      .onSuccess(entries -> Reply.ok(ctx, page.answer(entries, AuditLog.Entry::toJson, e -> String.valueOf(e.seq()))))
      .onFailure(ctx::fail);
  }

  private void verify(RoutingContext ctx) {
    audit.verify()
      .onSuccess(result -> Reply.ok(ctx, result.toJson()))
      .onFailure(ctx::fail);
  }
}
