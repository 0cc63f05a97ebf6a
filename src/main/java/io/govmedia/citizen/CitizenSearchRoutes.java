package io.govmedia.citizen;

import io.govmedia.content.ExpiredDocuments;
import io.govmedia.platform.Page;
import io.govmedia.platform.Problem;
import io.govmedia.search.SearchIndex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * What citizens search and look up: {@code GET /mp/v1/search?q=&cursor=&limit=} over published content only
 * (documents, interpretations, posts shown on the mini-program), ranked by relevance and recency, with highlighted
 * snippets; {@code GET /mp/v1/documents/expired?cursor=&limit=}, the list of expired documents (失效文件清单).
 * Pages are small (phones on weak networks), and answers come from the mini-program's cache ({@link CitizenCache}) with
 * an ETag, so a repeat visit gets 304.
 */
final class CitizenSearchRoutes {

  static final int MAX_QUERY = 50;
  private static final int DEFAULT_LIMIT = 10;
  private static final int MAX_LIMIT = 20;

  /**
   * Search answers are kept shorter than the cache's default: another instance applies a change to its own index
   * milliseconds after the invalidation, and an answer it caches in between is stale until this runs out.
   */
  static final Duration KEEP = Duration.ofSeconds(30);

  private final SearchIndex search;
  private final ExpiredDocuments expired;
  private final CitizenCache cache;

  CitizenSearchRoutes(SearchIndex search, ExpiredDocuments expired, CitizenCache cache) {
    this.search = search;
    this.expired = expired;
    this.cache = cache;
  }

  void mount(Router root) {
    root.get("/mp/v1/search").handler(this::search);
    root.get("/mp/v1/documents/expired").handler(this::expired);
  }

  private void search(RoutingContext ctx) {
    String q = query(ctx);
    String cursor = cursor(ctx);
    int limit = limit(ctx);
    if (cursor != null && !SearchIndex.validCursor(cursor)) {
      throw Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。");
    }
    cache.get("search:" + CitizenCache.digest(q) + ":" + cursor + ":" + limit,
        () -> search.searchPublished(q, limit, cursor).map(hits -> new CitizenCache.Fresh(answer(hits), KEEP)))
      .onSuccess(answer -> CitizenCache.reply(ctx, answer))
      .onFailure(ctx::fail);
  }

  private void expired(RoutingContext ctx) {
    Page page = new Page(Page.of(ctx).cursor(), limit(ctx));
    cache.get("expired:" + page.cursor() + ":" + page.limit(),
        () -> expired.page(page).map(body -> new CitizenCache.Fresh(body, KEEP)))
      .onSuccess(answer -> CitizenCache.reply(ctx, answer))
      .onFailure(ctx::fail);
  }

  private static String cursor(RoutingContext ctx) {
    String cursor = ctx.request().getParam("cursor");
    return cursor == null || cursor.isEmpty() ? null : cursor;
  }

  /** 1 to {@value #MAX_QUERY} characters of text: an undecodable byte (U+FFFD), a lone surrogate or a control is refused. */
  private static String query(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    SearchIndex.checkQuery(q, MAX_QUERY);
    if (q.codePoints().anyMatch(cp -> cp == 0xFFFD || Character.getType(cp) == Character.SURROGATE
      || Character.isISOControl(cp))) {
      throw Problem.badRequest("invalid-query", "搜索词含有无效字符", "q 应为正常文字。");
    }
    return q.strip();
  }

  /** {@code limit} 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
  private static int limit(RoutingContext ctx) {
    String limit = ctx.request().getParam("limit");
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    if (!limit.matches("[0-9]{1,2}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
      throw Problem.badRequest("invalid-limit", "分页大小无效", "limit 应为 1 到 " + MAX_LIMIT + " 之间的整数。");
    }
    return Integer.parseInt(limit);
  }

  /** A citizen's hit: no score, nothing staff-only. */
  private static JsonObject answer(SearchIndex.Hits hits) {
    JsonArray items = new JsonArray();
    hits.items().forEach(hit -> {
      JsonObject json = hit.toJson();
      json.remove("score");
      items.add(json);
    });
    return new JsonObject().put("items", items).put("next", hits.next());
  }
}
