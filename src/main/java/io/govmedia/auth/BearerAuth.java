package io.govmedia.auth;

import io.govmedia.platform.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Puts the signed-in staff member on the request, or answers 401. Mounted once, in front of the staff API. */
final class BearerAuth implements Handler<RoutingContext> {

  private final Sessions sessions;

  public BearerAuth(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 4096) {
      ctx.fail(Problem.unauthorized("unauthorized", "未登录或登录已失效"));
      return;
    }
    sessions.authenticate(header.substring(7).strip())
      .onSuccess(principal -> {
        ctx.put(Principal.KEY, principal);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }
}
