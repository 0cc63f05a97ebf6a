package io.govmedia.wechat;

import io.govmedia.accounts.AccountAccess;
import io.govmedia.auth.Principal;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/accounts/{id}/followers}: an official account's followers, for whoever may read the account.
 * {@code total} counts the current followers; the cursor is the last openid of the page.
 */
final class FollowerRoutes {

  static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final FollowerStore store;
  private final AccountAccess access;

  public FollowerRoutes(FollowerStore store, AccountAccess access) {
    this.store = store;
    this.access = access;
  }

  /** Mounted on {@code /api/v1/accounts*}. */
  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/:id/followers").handler(this::list);
    return router;
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Page page = Page.of(ctx, cursor -> OPENID.matcher(cursor).matches());
    Boolean subscribed = subscribedFilter(ctx.request().getParam("subscribed"));
    access.readable(principal, ctx.pathParam("id"))
      .compose(account -> Future.all(store.list(account.id(), page, subscribed), store.countCurrent(account.id())))
      .onSuccess(both -> {
        List<FollowerStore.Follower> items = both.resultAt(0);
        long total = both.resultAt(1);
        Reply.ok(ctx, new JsonObject().put("total", total)
          .mergeIn(page.answer(items, FollowerStore.Follower::toJson, FollowerStore.Follower::openid)));
      })
      .onFailure(ctx::fail);
  }

  private static Boolean subscribedFilter(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw Problem.badRequest("invalid-parameter", "查询参数有误", "subscribed 应为 true 或 false。");
    };
  }
}
