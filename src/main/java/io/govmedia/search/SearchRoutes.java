package io.govmedia.search;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /api/v1/search?q=&kind=&limit=&cursor=}: any signed-in staff member searches documents and
 * interpretations: the published ones, and the unpublished ones (drafts, in review…) of the departments in their
 * scope, as content shows them; admins search everything. A hit shows only kind, id, title, snippet, score and time.
 */
final class SearchRoutes {

  private final SearchIndex index;
  private final DepartmentStore departments;

  SearchRoutes(SearchIndex index, DepartmentStore departments) {
    this.index = index;
    this.departments = departments;
  }

  public Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/").handler(this::search);
    return router;
  }

  private void search(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String q = ctx.request().getParam("q");
    SearchIndex.checkQuery(q);
    Set<String> kinds = kinds(ctx);
    Page page = Page.of(ctx, SearchIndex::validCursor);
    reader(principal)
      .compose(reader -> index.search(q, kinds, reader, page.limit(), page.cursor()))
      .onSuccess(hits -> Reply.ok(ctx, hits.toJson()))
      .onFailure(ctx::fail);
  }

  /** The same scope as content's: the member's departments and every one below them; admins everywhere. */
  private Future<SearchIndex.Reader> reader(Principal principal) {
    if (principal.isAdmin()) {
      return Future.succeededFuture(SearchIndex.Reader.ADMIN);
    }
    return departments.reach(principal).map(SearchIndex.Reader::new);
  }

  /** {@code kind} repeated or comma-separated; none means every kind. */
  private static Set<String> kinds(RoutingContext ctx) {
    Set<String> kinds = new LinkedHashSet<>();
    for (String value : ctx.queryParam("kind")) {
      for (String kind : value.split(",", -1)) {
        if (!SearchIndex.KINDS.contains(kind.strip())) {
          throw Problem.badRequest("invalid-parameter", "参数无效", "kind 应为 document、interpretation 或 post。");
        }
        kinds.add(kind.strip());
      }
    }
    return kinds;
  }
}
