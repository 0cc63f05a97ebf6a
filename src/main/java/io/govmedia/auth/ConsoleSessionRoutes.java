package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * {@code /api/v1/auth/console/*}: the browser console's session. The refresh token lives only in an HttpOnly,
 * {@code SameSite=Strict} cookie scoped to these paths ({@code Secure} when the request came over HTTPS), so page
 * scripts never hold it; the access token goes to the page in the body and stays in its memory. The cookie only
 * ever mints access tokens: every write elsewhere needs the bearer header, which a forged cross-site request
 * cannot carry (the CSRF rule). Sign-in and refresh are the staff API's own ({@link AuthRoutes}), so throttling,
 * audit and the refresh-token family (a spent token revokes the session) are the same.
 */
final class ConsoleSessionRoutes {

  static final String COOKIE = "govmedia_console";
  static final String PATH = "/api/v1/auth/console";
  /**
   * A page reloaded while its refresh was under way never got the new cookie and presents the spent token again:
   * within this long that is a retry (another pair of the same session), later it is theft (the session ends).
   */
  static final Duration RETRY_GRACE = Duration.ofSeconds(20);

  private final AuthRoutes auth;
  private final Sessions sessions;
  private final Duration refreshTtl;

  ConsoleSessionRoutes(AuthRoutes auth, Sessions sessions, Duration refreshTtl) {
    this.auth = auth;
    this.sessions = sessions;
    this.refreshTtl = refreshTtl;
  }

  /** Sign-in and refresh: no bearer (the cookie or the password is the credential). */
  Router publicRoutes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::sameOrigin);
    router.post("/login").handler(ctx -> auth.signInWithPassword(ctx).onSuccess(tokens -> answer(ctx, tokens))
      .onFailure(ctx::fail));
    router.post("/refresh").handler(this::refresh);
    return router;
  }

  /** Sign-out: behind the bearer token, so a forged request with the cookie alone cannot end a session either. */
  Router staffRoutes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(this::sameOrigin);
    router.post("/logout").handler(this::logout);
    return router;
  }

  private void refresh(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      ctx.fail(Problem.unauthorized("console-signed-out", "未登录或登录已失效"));
      return;
    }
    auth.refreshWith(ctx, cookie.getValue(), RETRY_GRACE)
      .onSuccess(tokens -> answer(ctx, tokens))
      .onFailure(failure -> {
        if (failure instanceof Problem problem && problem.status() == 401) {
          clear(ctx);  // a dead token; a store failure (503) leaves the cookie for the next try
        }
        ctx.fail(failure);
      });
  }

  private void logout(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    auth.auditedLogout(ctx, principal)
      .onSuccess(v -> {
        clear(ctx);
        Reply.noContent(ctx);
      })
      .onFailure(ctx::fail);
  }

  /** The access token in the body, the refresh token only in the cookie. */
  private void answer(RoutingContext ctx, Sessions.Tokens tokens) {
    ctx.response().addCookie(Cookie.cookie(COOKIE, tokens.refreshToken()).setPath(PATH).setHttpOnly(true)
      .setSameSite(CookieSameSite.STRICT).setSecure(secure(ctx)).setMaxAge(refreshTtl.toSeconds()));
    ctx.response().putHeader("Cache-Control", "no-store");
    Reply.ok(ctx, new JsonObject().put("accessToken", tokens.accessToken()).put("expiresIn", tokens.expiresIn())
      .put("tokenType", "Bearer"));
  }

  private void clear(RoutingContext ctx) {
    ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath(PATH).setHttpOnly(true)
      .setSameSite(CookieSameSite.STRICT).setSecure(secure(ctx)).setMaxAge(0));
  }

  /** HTTPS directly or, behind our own proxy (when forwarded headers are trusted), as the proxy saw it. */
  private static boolean secure(RoutingContext ctx) {
    return "https".equalsIgnoreCase(ctx.request().scheme());
  }

  /**
   * Browsers send {@code Origin} on every POST: one naming another site is refused before anything is read, on top
   * of {@code SameSite=Strict}. Clients that send no Origin (tools, tests) are not browsers and carry no cookie of ours
   * unless they were given one.
   */
  private void sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !origin.equals(ctx.request().scheme() + "://" + ctx.request().authority())) {
      ctx.fail(new Problem(403, "cross-origin", "不允许跨站请求", null));
      return;
    }
    ctx.next();
  }
}
