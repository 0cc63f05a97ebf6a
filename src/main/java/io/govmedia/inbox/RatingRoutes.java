package io.govmedia.inbox;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Input;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Set;

/**
 * {@code POST /api/v1/cases/{id}/rating}: staff record the citizen's rating taken on the phone or at a 回访;
 * {@code POST /api/v1/cases/{id}/follow-up}: staff record a 回访 (when, how, what was said). Both by the staff who
 * work the case. Both answer the case.
 */
final class RatingRoutes {

  private static final Set<String> STAFF_VIAS = Set.of("phone", "follow-up", "sms", "visit");

  private final Ratings ratings;
  private final CaseStore store;
  private final DepartmentStore departments;
  private final AuditLog audit;
  private final CaseView view;

  RatingRoutes(Ratings ratings, CaseStore store, DepartmentStore departments, AuditLog audit, CaseView view) {
    this.ratings = ratings;
    this.store = store;
    this.departments = departments;
    this.audit = audit;
    this.view = view;
  }

  void mount(Router root) {
    root.post("/api/v1/cases/:id/rating").handler(this::rate);
    root.post("/api/v1/cases/:id/follow-up").handler(this::followUp);
  }

  private void rate(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    String value = input.oneOf("value", Ratings.VALUES.keySet());
    String comment = input.optionalText("comment", Ratings.COMMENT_MAX);
    String via = input.has("via") ? input.oneOf("via", STAFF_VIAS) : "phone";
    input.validate();
    Ratings.Rating rating = new Ratings.Rating(value, comment, via, principal.staffId(), principal.username());
    worked(ctx, principal)
      .compose(c -> ratings.rate(c.id(), rating)
        .compose(after -> audited(ctx, principal, "case.rate", c, after)))
      .onSuccess(after -> Reply.ok(ctx, view.detail(after)))
      .onFailure(ctx::fail);
  }

  private void followUp(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    String how = input.oneOf("how", Ratings.HOWS);
    String note = input.text("note", Ratings.COMMENT_MAX);
    Instant at = input.optionalInstant("at");
    input.validate();
    Ratings.FollowUp followUp = new Ratings.FollowUp(at, how, note, principal.staffId(), principal.username());
    worked(ctx, principal)
      .compose(c -> ratings.followUp(c.id(), followUp)
        .compose(after -> audited(ctx, principal, "case.follow-up", c, after)))
      .onSuccess(after -> Reply.created(ctx, view.detail(after)))
      .onFailure(ctx::fail);
  }

  /** The case if the member sees it (else 404) and works it (else 403). */
  private Future<Case> worked(RoutingContext ctx, Principal principal) {
    return CaseScope.of(principal, departments).compose(scope -> scope.visible(store, ctx.pathParam("id")).map(c -> {
      scope.requireWorker(c);
      return c;
    }));
  }

  private Future<Case> audited(RoutingContext ctx, Principal principal, String action, Case before, Case after) {
    return audit.append(principal.actor(), action, "case", after.id(), CaseActions.summary(before),
      CaseActions.summary(after), RequestLog.id(ctx)).map(after);
  }
}
