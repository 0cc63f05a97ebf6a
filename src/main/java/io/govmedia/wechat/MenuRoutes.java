package io.govmedia.wechat;

import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountAccess;
import io.govmedia.auth.Principal;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Input;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.govmedia.platform.RequestLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;

/**
 * {@code /api/v1/accounts/{id}/menu}: admins and the account's editors push its custom menu to WeChat, checked
 * against WeChat's limits first; the answer is the pushed menu, or WeChat's refusal as a problem with its errcode.
 */
final class MenuRoutes {

  private final MenuStore store;
  private final WeChatGateway gateway;
  private final AccountAccess access;
  private final AuditLog audit;
  private final Clock clock;

  public MenuRoutes(MenuStore store, WeChatGateway gateway, AccountAccess access, AuditLog audit, Clock clock) {
    this.store = store;
    this.gateway = gateway;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  /** Mounted on {@code /api/v1/accounts*}. */
  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.put("/:id/menu").handler(this::push);
    router.get("/:id/menu").handler(this::get);
    return router;
  }

  private void push(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Input input = Input.of(ctx);
    Menu menu = Menu.read(ctx.body().asJsonObject(), input);
    input.validate();
    access.manageable(principal, ctx.pathParam("id"))
      .compose(WeChatGateway::officialAccount)
      .compose(account -> push(account, menu, principal.actor(), RequestLog.id(ctx)))
      .onSuccess(pushed -> Reply.ok(ctx, pushed.toJson()))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    access.readable(Principal.of(ctx), ctx.pathParam("id"))
      .compose(account -> store.find(account.id()))
      .compose(stored -> stored == null
        ? Future.failedFuture(new Problem(404, "not-found", "未找到菜单", "本系统尚未向该公众号推送过菜单。"))
        : Future.succeededFuture(stored))
      .onSuccess(stored -> Reply.ok(ctx, stored.toJson()))
      .onFailure(ctx::fail);
  }

  /** WeChat first, then the record and the audit entry. */
  private Future<MenuStore.StoredMenu> push(Account account, Menu menu, AuditLog.Actor actor, String requestId) {
    Instant at = clock.instant();
    return store.find(account.id()).compose(before -> send(account, menu, actor, at)
      .compose(sent -> store.pushed(account.id(), menu, actor, at))
      .compose(pushed -> audit.append(actor, "wechat.menu.push", "account", account.id(),
        before == null ? null : before.buttons(), pushed.buttons(), requestId).map(pushed)));
  }

  /** WeChat's refusal is recorded as the last attempt (the live menu stays as it was), then answered. */
  private Future<String> send(Account account, Menu menu, AuditLog.Actor actor, Instant at) {
    String body = menu.toWeChat().encode();
    return gateway.call(account, wx -> wx.getMenuService().menuCreate(body))
      .recover(failure -> store.failed(account.id(), menu, actor, at, failure)
        .transform(recorded -> Future.failedFuture(failure)));
  }
}
