package io.govmedia;

import io.govmedia.accounts.AccountRoutes;
import io.govmedia.auth.AuditRoutes;
import io.govmedia.auth.AuthRoutes;
import io.govmedia.auth.BearerAuth;
import io.govmedia.auth.DepartmentRoutes;
import io.govmedia.auth.StaffRoutes;
import io.govmedia.media.AssetRoutes;
import io.govmedia.checks.CheckListRoutes;
import io.govmedia.content.ContentRoutes;
import io.govmedia.content.ItemKind;
import io.govmedia.media.MediaRoutes;
import io.govmedia.search.SearchRoutes;
import io.govmedia.platform.Failures;
import io.govmedia.wechat.AutoReplyRoutes;
import io.govmedia.wechat.CallbackRoutes;
import io.govmedia.wechat.FollowerRoutes;
import io.govmedia.wechat.MenuRoutes;
import io.govmedia.wechat.MessageRoutes;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The one root router: request ids and access log, operational endpoints, body limits, the staff API behind
 * its bearer token, and the one error handler. Each feature mounts its own {@code routes()}.
 */
record Api(long bodyLimitBytes, boolean trustForwardedFor, Handler<RoutingContext> readiness, PrometheusMeterRegistry metrics, Buffer openApi,
           BearerAuth bearer, AuthRoutes auth, DepartmentRoutes departments, StaffRoutes staff,
           AccountRoutes accounts, AuditRoutes audit, CallbackRoutes callbacks, MessageRoutes messages,
           AutoReplyRoutes autoReplies, MenuRoutes menus, FollowerRoutes followers, CheckListRoutes checkLists,
           SearchRoutes search, ContentRoutes content, AssetRoutes assets, MediaRoutes media) {

  Router router(Vertx vertx) {
    Router root = Router.router(vertx);
    if (trustForwardedFor) {
      // Only behind our own load balancer, which must overwrite X-Forwarded-For: the throttle keys on it.
      root.allowForward(AllowForwardHeaders.X_FORWARD);
    }
    root.route().handler(RequestLog::handle);

    // Operations: no auth, no body.
    root.get("/health").handler(ctx -> Reply.ok(ctx, new JsonObject().put("status", "UP")));
    root.get("/ready").handler(readiness);
    if (metrics != null) {  // null: /metrics is on the management listener instead (platform/MetricsListener)
      root.get("/metrics").handler(PrometheusScrapingHandler.create(metrics));
    }
    root.get("/api/openapi.yaml").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));

    // WeChat's servers push here; the callback caps its own bodies at 64 KiB.
    root.route("/wechat/callback/*").subRouter(callbacks.routes(vertx));

    // Public media: the mini-program and WeChat articles load assets without signing in.
    root.route("/media/*").subRouter(media.routes(vertx));

    // Uploads stream into GridFS, so they are matched ahead of the body handler (which would buffer them whole),
    // with the bearer token checked here; the route answers, never passing on to the handlers below.
    root.post("/api/v1/assets").handler(AssetRoutes::holdBody).handler(bearer).handler(assets::upload);

    // Staff API: bodies capped, then sign-in routes, then everything behind the bearer token.
    root.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
    root.route("/api/v1/auth/*").subRouter(auth.publicRoutes(vertx));
    root.route("/api/v1/*").handler(bearer);
    root.route("/api/v1/auth/*").subRouter(auth.routes(vertx));
    root.route("/api/v1/departments*").subRouter(departments.routes(vertx));
    root.route("/api/v1/staff*").subRouter(staff.routes(vertx));
    root.route("/api/v1/accounts/:id/auto-replies*").subRouter(autoReplies.routes(vertx));
    root.route("/api/v1/accounts*").subRouter(accounts.routes(vertx));
    root.route("/api/v1/accounts*").subRouter(menus.routes(vertx));
    root.route("/api/v1/accounts*").subRouter(followers.routes(vertx));
    root.route("/api/v1/audit*").subRouter(audit.routes(vertx));
    root.route("/api/v1/wechat/*").subRouter(messages.routes(vertx));
    root.route("/api/v1/sensitive-words*").subRouter(checkLists.sensitiveWords(vertx));
    root.route("/api/v1/wording-rules*").subRouter(checkLists.wordingRules(vertx));
    root.route("/api/v1/link-domains*").subRouter(checkLists.linkDomains(vertx));
    root.route("/api/v1/content-checks*").subRouter(checkLists.contentChecks(vertx));
    root.route("/api/v1/search*").subRouter(search.routes(vertx));
    root.route("/api/v1/documents*").subRouter(content.routes(vertx, ItemKind.DOCUMENT));
    root.route("/api/v1/interpretations*").subRouter(content.routes(vertx, ItemKind.INTERPRETATION));
    root.route("/api/v1/assets*").subRouter(assets.routes(vertx));

    root.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415}) {
      root.errorHandler(status, Failures::handle);
    }
    return root;
  }
}
