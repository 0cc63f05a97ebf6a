package io.govmedia.citizen;

import io.govmedia.platform.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts the citizen's session on the request ({@link CitizenSession#KEY}) from {@code Authorization: Bearer <token>};
 * a missing, forged or expired token gets 401 {@code session-invalid}.
 */
final class CitizenAuth implements Handler<RoutingContext> {

  private final CitizenSessions sessions;

  CitizenAuth(CitizenSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    if (token == null) {
      ctx.fail(invalid());
      return;
    }
    sessions.find(token).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
      } else if (found.result() == null) {
        ctx.fail(invalid());
      } else {
        ctx.put(CitizenSession.KEY, found.result());
        ctx.next();
      }
    });
  }

  static CitizenSession of(RoutingContext ctx) {
    CitizenSession session = ctx.get(CitizenSession.KEY);
    if (session == null) {
      throw invalid();
    }
    return session;
  }

  static Problem invalid() {
    return Problem.unauthorized("session-invalid", "登录已失效，请重新进入小程序");
  }
}
