package io.govmedia.auth;

import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Redis;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;

/** {@code /api/v1/auth}: login, refresh, logout, and the signed-in member's own record and password. */
final class AuthRoutes {

  private final StaffStore staff;
  private final Sessions sessions;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Clock clock;

  public AuthRoutes(StaffStore staff, Sessions sessions, Passwords passwords, Redis redis,
                    int maxFailures, Duration window, AuditLog audit, Clock clock) {
    this.clock = clock;
    this.staff = staff;
    this.sessions = sessions;
    this.passwords = passwords;
    this.throttle = new LoginThrottle(redis, maxFailures, window);
    this.audit = audit;
  }

  /** The routes that need no bearer token. */
  public Router publicRoutes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/login").handler(this::login);
    router.post("/refresh").handler(this::refresh);
    router.post("/logout").handler(this::logout);
    return router;
  }

  /** The routes behind the bearer token. */
  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/me").handler(this::me);
    router.post("/password").handler(this::changePassword);
    return router;
  }

  private void login(RoutingContext ctx) {
    signInWithPassword(ctx)
      .onSuccess(tokens -> Reply.ok(ctx, tokens.toJson()))
      .onFailure(ctx::fail);
  }

  /** Checks the body's username and password (throttled, audited) and opens a session. */
  Future<Sessions.Tokens> signInWithPassword(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String username = input.string("username", 64);
    String password = input.password("password");
    input.validate();
    String address = ctx.request().remoteAddress().host();
    return throttle.attempt(username, address)
      .compose(open -> staff.findByUsername(username))
      .compose(member -> passwords.verify(password, member == null ? null : member.passwordHash())
        .compose(matches -> matches && !member.disabled()
          ? signIn(ctx, member, username, address)
          : Future.failedFuture(Problem.unauthorized("invalid-credentials", "用户名或密码错误"))));
  }

  private Future<Sessions.Tokens> signIn(RoutingContext ctx, Staff member, String username, String address) {
    return throttle.reset(username, address)
      .compose(v -> sessions.open(member, address))
      .compose(tokens -> audit.append(member.principal(tokens.sessionId()).actor(), "auth.login", "session",
        tokens.sessionId(), null, new JsonObject().put("remoteAddress", address), RequestLog.id(ctx)).map(tokens));
  }

  private void refresh(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String refreshToken = input.password("refreshToken");
    input.validate();
    refreshWith(ctx, refreshToken)
      .onSuccess(tokens -> Reply.ok(ctx, tokens.toJson()))
      .onFailure(ctx::fail);
  }

  /** Spends a refresh token for the next pair; a spent one revokes its session, audited. */
  Future<Sessions.Tokens> refreshWith(RoutingContext ctx, String refreshToken) {
    return refreshWith(ctx, refreshToken, Duration.ZERO);
  }

  /** As above; a token spent less than {@code retryGrace} ago is a retry, not theft (see {@link Sessions}). */
  Future<Sessions.Tokens> refreshWith(RoutingContext ctx, String refreshToken, Duration retryGrace) {
    return sessions.refresh(refreshToken, owner -> actor(owner.staffId()).compose(actor -> audit.append(actor,
      "auth.refresh-reused", "session", owner.sessionId(), null, new JsonObject().put("revoked", true),
      RequestLog.id(ctx))), retryGrace);
  }

  /** Ends the signed-in principal's own session, audited like a logout by refresh token. */
  Future<Void> auditedLogout(RoutingContext ctx, Principal principal) {
    return sessions.revoke(principal.sessionId(), "logout")
      .compose(v -> audit.append(principal.actor(), "auth.logout", "session", principal.sessionId(), null,
        new JsonObject().put("revoked", true), RequestLog.id(ctx)))
      .mapEmpty();
  }

  /** Revokes the session of the refresh token in the body; an unknown token is already as good as logged out. */
  private void logout(RoutingContext ctx) {
    Input input = Input.of(ctx);
    String refreshToken = input.password("refreshToken");
    input.validate();
    sessions.ownerOf(refreshToken)
      .compose(owner -> owner == null ? Future.succeededFuture() : sessions.revoke(owner.sessionId(), "logout")
        .compose(v -> actor(owner.staffId()))
        .compose(actor -> audit.append(actor, "auth.logout", "session", owner.sessionId(), null,
          new JsonObject().put("revoked", true), RequestLog.id(ctx))))
      .onSuccess(v -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    staff.find(Principal.of(ctx).staffId())
      .onSuccess(member -> Reply.ok(ctx, member.toJson()))
      .onFailure(ctx::fail);
  }

  private void changePassword(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    String current = input.password("currentPassword");
    String next = input.password("newPassword");
    input.validate();
    Passwords.requireStrong("newPassword", next);
    String address = ctx.request().remoteAddress().host();
    // Current-password guesses count like logins: a stolen access token must not allow guessing.
    throttle.attempt(principal.username(), address)
      .compose(open -> staff.find(principal.staffId()))
      .compose(before -> passwords.verify(current, before.passwordHash()).compose(matches -> matches
        ? throttle.reset(principal.username(), address).compose(v -> passwords.hash(next))
          // Sessions end before the new password is saved: a failure in between leaves nobody signed in
          // with the old one, never the new password with old sessions alive.
          .compose(hash -> sessions.revokeAll(before.id(), "password-changed")
            .compose(v -> staff.replace(before, withPassword(before, hash))))
        : Future.failedFuture(Problem.badRequest("invalid-credentials", "当前密码不正确", null))))
      .compose(after -> audit.append(principal.actor(), "staff.password", "staff", after.id(), null,
        new JsonObject().put("passwordChanged", true), RequestLog.id(ctx)))
      .onSuccess(v -> Reply.noContent(ctx))
      .onFailure(ctx::fail);
  }

  /** The audit actor for a staff id, with the username when the member still exists. */
  private Future<AuditLog.Actor> actor(String staffId) {
    return staff.find(staffId).map(member -> new AuditLog.Actor(staffId, member == null ? "-" : member.username()));
  }

  private Staff withPassword(Staff s, String hash) {
    return s.withPassword(hash, clock.instant());
  }
}
