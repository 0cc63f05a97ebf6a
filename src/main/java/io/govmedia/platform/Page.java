package io.govmedia.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A list request ({@code ?cursor=&limit=}) and its answer {@code {"items": [...], "next": cursor|null}}. */
public record Page(String cursor, int limit) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  private static final Pattern ASCII_NUMBER = Pattern.compile("[0-9]{1,9}");

  /** Reads cursor and limit; the cursor must be an id, as handed out in {@code next}. */
  public static Page of(RoutingContext ctx) {
    return of(ctx, cursor -> Ids.valid(cursor) || cursor.matches("[0-9]{1,18}"));
  }

  /** Reads cursor and limit, for lists whose cursor is not an id (e.g. a WeChat openid). */
  public static Page of(RoutingContext ctx, Predicate<String> validCursor) {
    String cursor = ctx.request().getParam("cursor");
    String limit = ctx.request().getParam("limit");
    if (cursor != null && !cursor.isEmpty() && !validCursor.test(cursor)) {
      throw Problem.badRequest("invalid-cursor", "分页游标无效", "cursor 应取自上一页的 next。");
    }
    int parsed = limit == null ? DEFAULT_LIMIT : number(limit, MAX_LIMIT);
    if (parsed < 1) {
      throw Problem.badRequest("invalid-limit", "分页大小无效", "limit 应为 1 到 " + MAX_LIMIT + " 之间的整数（半角数字）。");
    }
    return new Page(cursor == null || cursor.isEmpty() ? null : cursor, parsed);
  }

  /**
   * A query parameter's whole number from 0 to {@code max}, or -1. Only ASCII digits count: Integer.parseInt also
   * takes full-width and other scripts' digits ("５"), which no client means to send and no log reader expects.
   */
  static int number(String text, int max) {
    if (!ASCII_NUMBER.matcher(text).matches()) {
      return -1;
    }
    int value = Integer.parseInt(text);
    return value > max ? -1 : value;
  }

  /** Stores fetch {@code limit + 1} items; the extra one only tells that there is a next page. */
  public <T> JsonObject answer(List<T> fetched, Function<T, JsonObject> toJson, Function<T, String> cursorOf) {
    List<T> items = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(toJson.apply(item)));
    String next = fetched.size() > limit ? cursorOf.apply(items.get(items.size() - 1)) : null;
    return new JsonObject().put("items", array).put("next", next);
  }
}
