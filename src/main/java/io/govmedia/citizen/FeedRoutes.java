package io.govmedia.citizen;

import io.govmedia.platform.Ids;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code GET /mp/v1/feed}, {@code GET /mp/v1/articles/{id}} and {@code POST /mp/v1/articles/{id}/helpful}: what
 * citizens read, from the Redis cache ({@link CitizenCache}) with an ETag, and their "this helped me" votes.
 */
final class FeedRoutes {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 50;
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");
  private static final Pattern CURSOR = Pattern.compile("([0-9]{1,15})_([0-9a-f]{24})");

  private final Feed feed;
  private final ArticleView articles;
  private final CitizenCache cache;
  private final ViewCounts views;
  private final HelpfulVotes votes;

  FeedRoutes(Feed feed, ArticleView articles, CitizenCache cache, ViewCounts views, HelpfulVotes votes) {
    this.feed = feed;
    this.articles = articles;
    this.cache = cache;
    this.views = views;
    this.votes = votes;
  }

  void mount(Router root) {
    root.get("/mp/v1/feed").handler(this::feed);
    root.get("/mp/v1/articles/:id").handler(this::article);
    root.post("/mp/v1/articles/:id/helpful").handler(this::helpful);
  }

  // The feed

  /** A feed request: one category or mini-program (or both, or neither), from a cursor, so many items. */
  record FeedQuery(String category, String accountId, Feed.Cursor cursor, int limit) {

    static FeedQuery read(RoutingContext ctx) {
      String category = blankToNull(ctx.request().getParam("category"));
      if (category != null && (category.length() > 50 || category.codePoints().anyMatch(Character::isISOControl))) {
        throw Problem.badRequest("invalid-parameter", "查询参数有误", "category 应为不超过 50 个字符的分类名称。");
      }
      String accountId = blankToNull(ctx.request().getParam("accountId"));
      if (accountId != null && !Ids.valid(accountId)) {
        throw Problem.badRequest("invalid-parameter", "查询参数有误", "accountId 应为 id。");
      }
      return new FeedQuery(category, accountId, FeedRoutes.cursor(ctx.request().getParam("cursor")),
        FeedRoutes.limit(ctx.request().getParam("limit")));
    }

    /** The set to page through; with both filters, the mini-program's, filtered by category. */
    String set() {
      return accountId != null ? "acct:" + accountId : category != null ? "cat:" + category : "all";
    }

    Predicate<FeedEntry> keep() {
      return accountId != null && category != null ? entry -> category.equals(entry.category()) : entry -> true;
    }

    String cacheKey() {
      return "feed:" + limit + ":" + (cursor == null ? "" : cursor.encode()) + ":" + (accountId == null ? "" : accountId)
        + ":" + (category == null ? "" : CitizenCache.digest(category));
    }
  }

  private void feed(RoutingContext ctx) {
    FeedQuery query = FeedQuery.read(ctx);
    cache.get(query.cacheKey(), () -> feed.page(query.set(), query.cursor(), query.limit(), query.keep())
        .map(found -> new CitizenCache.Fresh(page(found))))
      .onSuccess(answer -> CitizenCache.reply(ctx, answer))
      .onFailure(ctx::fail);
  }

  private static JsonObject page(Feed.Found found) {
    return new JsonObject().put("items", new io.vertx.core.json.JsonArray(found.entries().stream().map(FeedEntry::item)
      .toList())).put("next", found.next() == null ? null : encodeCursor(found.next()));
  }

  /** Opaque to clients: base64url of "publishedAtMillis_id". */
  static String encodeCursor(Feed.Cursor cursor) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.encode().getBytes(StandardCharsets.US_ASCII));
  }

  private static Feed.Cursor cursor(String given) {
    if (given == null || given.isEmpty()) {
      return null;
    }
    String decoded;
    try {
      decoded = given.length() > 64 ? "" : new String(Base64.getUrlDecoder().decode(given), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException notBase64) {
      decoded = "";
    }
    var matcher = CURSOR.matcher(decoded);
    if (!matcher.matches()) {
      throw Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。");
    }
    return new Feed.Cursor(Long.parseLong(matcher.group(1)), matcher.group(2));
  }

  private static int limit(String given) {
    if (given == null || given.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    int parsed = LIMIT.matcher(given).matches() ? Integer.parseInt(given) : -1;
    if (parsed < 1 || parsed > MAX_LIMIT) {
      throw Problem.badRequest("invalid-limit", "分页大小无效", "limit 应为 1 到 " + MAX_LIMIT + " 之间的整数（半角数字）。");
    }
    return parsed;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  // An article

  /**
   * The cached page plus what changes on every visit (views, the helpful count and whether this citizen voted), read
   * at the same time as the page; the ETag is weak, made of the page's and the vote's: a new view alone still
   * answers 304.
   */
  private void article(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    String id = ctx.pathParam("id");
    if (!Ids.valid(id)) {
      ctx.fail(ArticleView.notFound());
      return;
    }
    Future<ViewCounts.Visit> visit = views.visit(id, who);
    cache.get("article:" + id, () -> articles.detail(id))
      .compose(answer -> visit.map(counts -> {
        if (counts == null) {  // left the feed between the two reads
          throw ArticleView.notFound();
        }
        String page = answer.etag().substring(1, answer.etag().length() - 1);
        return answer.with(new JsonObject().put("views", counts.views()).put("helpful", counts.helpful())
            .put("voted", counts.voted()),
          "W/\"" + page + "-" + counts.helpful() + (counts.voted() ? "v" : "n") + "\"");
      }))
      .onSuccess(answer -> CitizenCache.reply(ctx, answer))
      .onFailure(ctx::fail);
  }

  /** One vote per citizen and article; a repeat answers the same count with {@code voted: true}. */
  private void helpful(RoutingContext ctx) {
    CitizenSession who = CitizenAuth.of(ctx);
    String id = ctx.pathParam("id");
    Ids.lookup(id, feed::entry, "文章")
      .compose(entry -> votes.vote(id, who))
      .onSuccess(tally -> Reply.ok(ctx, new JsonObject().put("id", id).put("helpful", tally.helpful())
        .put("voted", tally.voted())))
      .onFailure(ctx::fail);
  }
}
