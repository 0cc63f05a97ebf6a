package io.govmedia.wechat;

import io.govmedia.accounts.AccountAccess;
import io.govmedia.auth.Principal;
import io.govmedia.platform.Page;
import io.govmedia.platform.Reply;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/wechat/{accountId}/messages}: what came in to an official account, newest first. */
final class MessageRoutes {

  private final MessageStore messages;
  private final AccountAccess access;

  public MessageRoutes(MessageStore messages, AccountAccess access) {
    this.messages = messages;
    this.access = access;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/:accountId/messages").handler(this::list);
    return router;
  }

  private void list(RoutingContext ctx) {
    Page page = Page.of(ctx, MessageStore::validCursor);
    access.readable(Principal.of(ctx), ctx.pathParam("accountId"))
      .compose(account -> messages.list(account.id(), page))
      .onSuccess(items -> Reply.ok(ctx, page.answer(items, MessageStore.Stored::toJson, MessageStore.Stored::cursor)))
      .onFailure(ctx::fail);
  }
}
