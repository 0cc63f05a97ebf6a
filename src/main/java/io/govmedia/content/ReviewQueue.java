package io.govmedia.content;

import io.govmedia.auth.DepartmentStore;
import io.govmedia.auth.Principal;
import io.govmedia.auth.Role;
import io.govmedia.platform.Page;
import io.govmedia.platform.Reply;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/review-queue}: the documents, interpretations and posts waiting for a decision the caller may
 * take now, oldest submission first. An item is in the caller's queue when it is in review in a department of their
 * scope, they wrote no version of it and approved no earlier stage of it: exactly what {@link Item#decided} would
 * let them do (short of the version seen).
 */
final class ReviewQueue {

  /** {@code <submitted epoch millis>-<id>}: the sort key of the last item of the previous page. */
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,15}-[0-9a-f]{24}");
  private static final Comparator<Waiting> OLDEST_FIRST = Comparator.comparing(Waiting::key);

  private final ItemStore items;
  private final DepartmentStore departments;
  private final List<String> stages;

  ReviewQueue(ItemStore items, DepartmentStore departments, List<String> stages) {
    this.items = items;
    this.departments = departments;
    this.stages = List.copyOf(stages);
  }

  /** One item waiting, with when it was last submitted (its place in the queue). */
  private record Waiting(Item item, Instant submittedAt) {

    String key() {
      return String.format("%015d-%s", submittedAt.toEpochMilli(), item.id());
    }
  }

  void handle(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.require(Role.REVIEWER);
    Page page = Page.of(ctx, cursor -> CURSOR.matcher(cursor).matches());
    String after = page.cursor() == null ? null : normalized(page.cursor());
    ContentScope.of(principal, departments)
      .compose(scope -> Future.all(List.of(ItemKind.values()).stream()
        .map(kind -> items.inReview(kind, scope.listFilter())).toList()))
      .map(all -> {
        List<Waiting> waiting = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          all.<List<Item>>resultAt(i).stream().filter(item -> decidableBy(item, principal.staffId()))
            .map(item -> new Waiting(item, submittedAt(item))).forEach(waiting::add);
        }
        List<Waiting> fetched = waiting.stream().filter(w -> after == null || w.key().compareTo(after) > 0)
          .sorted(OLDEST_FIRST).limit(page.limit() + 1L).toList();
        return page.answer(fetched, this::present, Waiting::key);
      })
      .onSuccess(body -> Reply.ok(ctx, body))
      .onFailure(ctx::fail);
  }

  private static String normalized(String cursor) {
    int dash = cursor.indexOf('-');
    return String.format("%015d", Long.parseLong(cursor.substring(0, dash))) + cursor.substring(dash);
  }

  /** Never an author, never a second stage by one reviewer (the other rules of {@link Item#decided}). */
  private static boolean decidableBy(Item item, String reviewerId) {
    return item.status() == ReviewStatus.IN_REVIEW && !item.authors().contains(reviewerId)
      && item.approvals().stream().noneMatch(a -> a.reviewerId().equals(reviewerId));
  }

  private static Instant submittedAt(Item item) {
    return item.history().stream().filter(h -> "submitted".equals(h.action())).map(HistoryEntry::at)
      .reduce((first, later) -> later).orElse(item.updatedAt());
  }

  /** The list view with who wrote the version under review and when it was submitted. */
  private JsonObject present(Waiting waiting) {
    Item item = waiting.item();
    JsonObject author = item.history().stream().filter(HistoryEntry::authored).reduce((first, later) -> later)
      .map(h -> new JsonObject().put("id", h.actor().id()).put("username", h.actor().username()))
      .orElse(new JsonObject().put("id", item.createdBy().id()).put("username", item.createdBy().username()));
    return item.summary(stages).put("submittedAt", Times.show(waiting.submittedAt())).put("author", author);
  }
}
