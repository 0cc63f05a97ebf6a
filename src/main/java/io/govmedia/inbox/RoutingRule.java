package io.govmedia.inbox;

import io.govmedia.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * An admin's rule that sends a case to a department. Each condition given (keywords, category, account, region) must
 * match; at least one is given. Rules are tried by {@code priority}, lowest number first; on equal priorities the
 * rule created first wins.
 */
record RoutingRule(String id, String name, int priority, List<String> keywords, Category category, String accountId,
                   String region, String departmentId, Instant createdAt, Instant updatedAt, long version) {

  /** The order rules are tried in: priority, then creation (ids break a tie within one millisecond). */
  static final Comparator<RoutingRule> ORDER = Comparator.comparingInt(RoutingRule::priority)
    .thenComparing(RoutingRule::createdAt).thenComparing(RoutingRule::id);

  /** What a client writes: everything but the id, times and version. */
  record Fields(String name, int priority, List<String> keywords, Category category, String accountId, String region,
                String departmentId) {

    RoutingRule created(String id, Instant now) {
      return new RoutingRule(id, name, priority, keywords, category, accountId, region, departmentId, now, now, 1);
    }

    RoutingRule replacing(RoutingRule before, Instant now) {
      return new RoutingRule(before.id(), name, priority, keywords, category, accountId, region, departmentId,
        before.createdAt(), now, before.version() + 1);
    }
  }

  static RoutingRule from(Document d) {
    String category = d.getString("category");
    return new RoutingRule(d.getString("_id"), d.getString("name"), d.getInteger("priority", 0),
      List.copyOf(d.getList("keywords", String.class, List.of())),
      category == null ? null : Category.parse(category).orElse(null), d.getString("accountId"), d.getString("region"),
      d.getString("departmentId"), Times.instant(d.getDate("createdAt")), Times.instant(d.getDate("updatedAt")),
      d.get("version", 0L));
  }

  Document toDocument() {
    return new Document("_id", id).append("name", name).append("priority", priority).append("keywords", keywords)
      .append("category", category == null ? null : category.wire()).append("accountId", accountId)
      .append("region", region).append("departmentId", departmentId).append("createdAt", Times.date(createdAt))
      .append("updatedAt", Times.date(updatedAt)).append("version", version);
  }

  JsonObject toJson() {
    return auditSummary().put("id", id).put("createdAt", Times.show(createdAt)).put("updatedAt", Times.show(updatedAt))
      .put("version", version);
  }

  JsonObject auditSummary() {
    return new JsonObject().put("name", name).put("priority", priority).put("keywords", new JsonArray(keywords))
      .put("category", category == null ? null : category.wire()).put("accountId", accountId).put("region", region)
      .put("departmentId", departmentId);
  }
}
