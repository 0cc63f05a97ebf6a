package io.govmedia.citizen;

import io.govmedia.inbox.PublishedReplies;
import io.govmedia.platform.Ids;
import io.govmedia.platform.Page;
import io.govmedia.platform.Reply;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The public Q&A: {@code GET /mp/v1/public-replies} (newest first, paged) and {@code GET /mp/v1/public-replies/{id}}:
 * the cases whose replies staff published with the citizen's consent, masked (DOMAIN §4).
 */
final class PublicReplyRoutes {

  private final PublishedReplies replies;

  PublicReplyRoutes(PublishedReplies replies) {
    this.replies = replies;
  }

  void mount(Router root) {
    root.get("/mp/v1/public-replies").handler(this::list);
    root.get("/mp/v1/public-replies/:id").handler(this::read);
  }

  private void list(RoutingContext ctx) {
    CitizenAuth.of(ctx);
    Page page = Page.of(ctx, Ids::valid);
    replies.page(new Page(page.cursor(), Math.min(page.limit(), 50)))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    CitizenAuth.of(ctx);
    replies.one(ctx.pathParam("id"))
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }
}
