package io.govmedia;

import io.govmedia.platform.Config;
import io.govmedia.platform.Failures;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.List;

/**
 * The one root router: request ids and access log, operational endpoints, body limits, the staff API behind
 * its bearer token, and the one error handler. Each feature mounts its own routes, layer by layer.
 */
record Api(Config.Http http, Handler<RoutingContext> readiness, PrometheusMeterRegistry metrics, Buffer openApi,
           Handler<RoutingContext> bearer, List<Feature> features) {

  Router router(Vertx vertx) {
    Router root = Router.router(vertx);
    Feature.Mount mount = new Feature.Mount(vertx, root, bearer);
    if (http.trustForwardedFor()) {
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

    // Routes that read their own bodies and check their own callers: WeChat pushes, media, streamed uploads.
    features.forEach(feature -> feature.mountRaw(mount));

    // HEAD is GET without the body (RFC 9110 §9.3.2; load balancers probe with it). Routes that answer HEAD
    // themselves (media, which must not read a file to answer it) are mounted above; the rest are run as their
    // GET, and the server sends no body for a HEAD request.
    // Matched by any method and passed on: a route restricted to HEAD would turn every other unknown path into a 405.
    root.route().handler(Api::headAsGet);

    // Staff API: bodies capped, then sign-in routes, then everything behind the bearer token.
    root.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
    features.forEach(feature -> feature.mountPublicApi(mount));
    root.route("/api/v1/*").handler(bearer);
    features.forEach(feature -> feature.mountStaffApi(mount));

    // Mini-program API: bodies capped; citizens' session tokens are checked by the feature that serves it.
    root.route("/mp/*").handler(BodyHandler.create(false).setBodyLimit(http.bodyLimitBytes()));
    features.forEach(feature -> feature.mountCitizenApi(mount));

    // The body handler above took any method on /api/*, which hides that this path exists (404 instead of 405).
    root.route("/api/openapi.yaml").handler(ctx -> {
      ctx.response().putHeader("Allow", "GET, HEAD");
      ctx.fail(405);
    });

    root.route().failureHandler(Failures::handle);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415}) {
      root.errorHandler(status, Failures::handle);
    }
    return root;
  }

  private static void headAsGet(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    String query = ctx.request().query();
    ctx.reroute(HttpMethod.GET, ctx.request().path() + (query == null ? "" : "?" + query));
  }
}
